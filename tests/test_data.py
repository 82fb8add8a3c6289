"""Dataset loaders: scikit-learn digits, and CIFAR-10 read from tiny files
written here in the official python batch format."""
from __future__ import annotations

import pickle

import numpy as np
import pytest

from nnlayers import data

SPLITS = ("train", "val", "test")
KEYS = tuple(f"{prefix}_{split}" for split in SPLITS for prefix in ("X", "y"))


# ----------------------------------------------------------------------- digits

@pytest.fixture(scope="module")
def digits():
    return data.load_digits_data(num_val=100, num_test=150, seed=0)


def test_digits_shapes_and_types(digits):
    assert set(digits) == set(KEYS)
    sizes = {"train": 1797 - 250, "val": 100, "test": 150}
    for split, n in sizes.items():
        X, y = digits[f"X_{split}"], digits[f"y_{split}"]
        assert X.shape == (n, 1, 8, 8)
        assert X.dtype == np.float64
        assert y.shape == (n,)
        assert y.dtype == np.int64
        assert set(np.unique(y)) <= set(range(10))


def test_digits_splits_partition_the_dataset():
    raw = data.load_digits_data(num_val=100, num_test=150, seed=3, subtract_mean=False)
    images = np.concatenate([raw[f"X_{s}"] for s in SPLITS]).reshape(1797, -1)
    # every image appears exactly once (digits has a few exact duplicates, so
    # compare as a multiset against the original)
    from sklearn.datasets import load_digits
    original = load_digits().images.reshape(1797, -1) / 16.0
    np.testing.assert_array_equal(np.sort(images, axis=0), np.sort(original, axis=0))
    assert images.min() >= 0.0 and images.max() <= 1.0


def test_digits_mean_subtraction_uses_training_mean():
    raw = data.load_digits_data(seed=1, subtract_mean=False)
    centred = data.load_digits_data(seed=1, subtract_mean=True)
    mean = raw["X_train"].mean(axis=0)
    np.testing.assert_allclose(centred["X_train"].mean(axis=0), 0.0, atol=1e-12)
    for split in SPLITS:
        np.testing.assert_allclose(centred[f"X_{split}"], raw[f"X_{split}"] - mean)
        np.testing.assert_array_equal(centred[f"y_{split}"], raw[f"y_{split}"])


def test_digits_deterministic_by_seed():
    a = data.load_digits_data(seed=7)
    b = data.load_digits_data(seed=7)
    c = data.load_digits_data(seed=8)
    for key in KEYS:
        np.testing.assert_array_equal(a[key], b[key])
    assert not np.array_equal(a["y_train"], c["y_train"])


def test_digits_dtype():
    assert data.load_digits_data(dtype=np.float32)["X_val"].dtype == np.float32


def test_digits_rejects_impossible_split():
    with pytest.raises(ValueError, match="no training images"):
        data.load_digits_data(num_val=1000, num_test=797)


# --------------------------------------------------------------------- CIFAR-10

PER_BATCH = 20


def write_cifar_batches(folder, per_batch=PER_BATCH):
    """Write data_batch_1..5 and test_batch as the official archive has them.

    Image k of the whole set has every pixel of channel c equal to
    (k + 10 * c) % 256, and label k % 10, so tests can check the layout.
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for b, name in enumerate(names):
        k = np.arange(b * per_batch, (b + 1) * per_batch)
        channel = np.arange(3)
        pixels = (k[:, None] + 10 * channel[None, :]) % 256            # (n, 3)
        rows = np.repeat(pixels, 1024, axis=1).astype(np.uint8)       # (n, 3072), R then G then B
        batch = {
            b"batch_label": f"batch {b}".encode(),
            b"labels": [int(x) for x in k % 10],
            b"data": rows,
            b"filenames": [f"img{x}.png".encode() for x in k],
        }
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f, protocol=2)
    return folder


@pytest.fixture
def cifar_dir(tmp_path):
    return write_cifar_batches(tmp_path / "cifar-10-batches-py")


def check_raw(X_train, y_train, X_test, y_test):
    assert X_train.shape == (5 * PER_BATCH, 3, 32, 32) and X_train.dtype == np.uint8
    assert X_test.shape == (PER_BATCH, 3, 32, 32)
    assert y_train.dtype == np.int64
    np.testing.assert_array_equal(y_train, np.arange(5 * PER_BATCH) % 10)
    np.testing.assert_array_equal(y_test, np.arange(5 * PER_BATCH, 6 * PER_BATCH) % 10)
    # channel-major layout: image 7, channel 2 is 7 + 20 everywhere
    assert np.all(X_train[7, 2] == 27) and np.all(X_train[7, 0] == 7)


def test_load_cifar10_from_argument(cifar_dir):
    check_raw(*data.load_cifar10(cifar_dir))
    check_raw(*data.load_cifar10(str(cifar_dir)))


def test_load_cifar10_from_environment(cifar_dir, monkeypatch):
    monkeypatch.setenv("CIFAR10_DIR", str(cifar_dir))
    check_raw(*data.load_cifar10())


def test_load_cifar10_accepts_parent_of_extracted_folder(cifar_dir):
    check_raw(*data.load_cifar10(cifar_dir.parent))


def test_get_cifar10_data(cifar_dir):
    splits = data.get_cifar10_data(num_training=70, num_validation=20, num_test=10,
                                   subtract_mean=False, root=cifar_dir)
    assert set(splits) == set(KEYS)
    assert splits["X_train"].shape == (70, 3, 32, 32)
    assert splits["X_val"].shape == (20, 3, 32, 32)
    assert splits["X_test"].shape == (10, 3, 32, 32)
    assert splits["X_train"].dtype == np.float64
    np.testing.assert_array_equal(splits["y_val"], np.arange(70, 90) % 10)
    assert splits["X_val"][0, 1, 0, 0] == 80.0  # image 70, channel 1

    centred = data.get_cifar10_data(num_training=70, num_validation=20, num_test=10,
                                    root=cifar_dir)
    mean = splits["X_train"].mean(axis=0)
    for split in SPLITS:
        np.testing.assert_allclose(centred[f"X_{split}"], splits[f"X_{split}"] - mean)


def test_get_cifar10_data_too_many_requested(cifar_dir):
    with pytest.raises(ValueError, match="files hold 100 training"):
        data.get_cifar10_data(num_training=90, num_validation=20, root=cifar_dir)


def test_missing_folder_message(tmp_path, monkeypatch):
    monkeypatch.delenv("CIFAR10_DIR", raising=False)
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError) as info:
        data.load_cifar10(missing)
    message = str(info.value)
    assert str(missing) in message
    assert "data_batch_1" in message and "test_batch" in message
    assert "CIFAR10_DIR" in message


def test_missing_file_named(cifar_dir):
    (cifar_dir / "data_batch_3").unlink()
    with pytest.raises(FileNotFoundError, match="missing data_batch_3"):
        data.load_cifar10(cifar_dir)


def test_no_folder_given(monkeypatch):
    monkeypatch.delenv("CIFAR10_DIR", raising=False)
    with pytest.raises(FileNotFoundError, match="CIFAR10_DIR"):
        data.load_cifar10()


def test_environment_folder_named_in_message(tmp_path, monkeypatch):
    monkeypatch.setenv("CIFAR10_DIR", str(tmp_path / "env-folder"))
    with pytest.raises(FileNotFoundError, match="env-folder.*CIFAR10_DIR"):
        data.load_cifar10()


# ---------------------------------------------------------------- dispatching

def test_load_dataset_dispatches(cifar_dir):
    digits = data.load_dataset("digits", num_val=10, num_test=10)
    assert digits["X_val"].shape == (10, 1, 8, 8)
    cifar = data.load_dataset("cifar10", num_training=50, num_validation=10, num_test=5,
                              root=cifar_dir)
    assert cifar["X_test"].shape == (5, 3, 32, 32)


def test_load_dataset_unknown_name():
    with pytest.raises(ValueError, match="valid names are: cifar10, digits"):
        data.load_dataset("mnist")
