"""Datasets for the assignment, as dicts of image arrays in (N, C, H, W) layout.

Two sources:

- ``digits``: scikit-learn's bundled 8x8 handwritten digits (1,797 images,
  10 classes). Ships with scikit-learn, so it works offline and is small
  enough for tests and quick experiments.
- ``cifar10``: CIFAR-10 in the standard "python version" format. Nothing is
  downloaded: get ``cifar-10-python.tar.gz`` from
  https://www.cs.toronto.edu/~kriz/cifar.html, extract it, and either pass the
  folder as ``root=`` or set the environment variable ``CIFAR10_DIR`` to it.

Every loader returns the same dict layout: ``X_train``, ``y_train``,
``X_val``, ``y_val``, ``X_test``, ``y_test``, with images of shape
(N, C, H, W) and integer labels (int64) of shape (N,).
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

import numpy as np

CIFAR10_ENV_VAR = "CIFAR10_DIR"
CIFAR10_TRAIN_FILES = tuple(f"data_batch_{i}" for i in range(1, 6))
CIFAR10_TEST_FILE = "test_batch"
CIFAR10_FILES = CIFAR10_TRAIN_FILES + (CIFAR10_TEST_FILE,)
CIFAR10_SUBDIR = "cifar-10-batches-py"  # the folder the official archive extracts to


def _subtract_train_mean(splits):
    """Subtract the mean training image from every split, in place in the dict."""
    mean_image = splits["X_train"].mean(axis=0)
    for key in ("X_train", "X_val", "X_test"):
        splits[key] = splits[key] - mean_image
    return splits


# --------------------------------------------------------------------- digits

def load_digits_data(num_val=200, num_test=200, seed=0, subtract_mean=True,
                     dtype=np.float64):
    """Load scikit-learn's 8x8 digits as small one-channel images.

    Pixel values (0..16 in the original) are divided by 16, so they lie in
    [0, 1] before the mean is subtracted.

    Parameters
    ----------
    num_val, num_test : int
        Sizes of the validation and test splits; the remaining images
        (1,797 - num_val - num_test) form the training split.
    seed : int
        Seed of the shuffle that assigns images to splits. The same seed
        always gives the same splits.
    subtract_mean : bool
        Subtract the mean training image from all three splits.
    dtype : numpy dtype
        Floating type of the images.

    Returns
    -------
    dict
        ``X_train`` ndarray of shape (N_train, 1, 8, 8), ``y_train`` int64
        ndarray of shape (N_train,), and likewise ``X_val``/``y_val`` and
        ``X_test``/``y_test``.
    """
    from sklearn.datasets import load_digits  # bundled with scikit-learn

    digits = load_digits()
    X = (digits.images / 16.0).astype(dtype)[:, None, :, :]
    y = digits.target.astype(np.int64)

    num_train = X.shape[0] - num_val - num_test
    if num_val < 0 or num_test < 0 or num_train <= 0:
        raise ValueError(
            f"num_val={num_val} and num_test={num_test} leave no training images "
            f"out of {X.shape[0]}"
        )

    order = np.random.default_rng(seed).permutation(X.shape[0])
    train, val, test = np.split(order, [num_train, num_train + num_val])
    splits = {
        "X_train": X[train], "y_train": y[train],
        "X_val": X[val], "y_val": y[val],
        "X_test": X[test], "y_test": y[test],
    }
    if subtract_mean:
        _subtract_train_mean(splits)
    return splits


# -------------------------------------------------------------------- CIFAR-10

def _cifar10_folder(root):
    """Resolve the CIFAR-10 folder: argument first, then $CIFAR10_DIR."""
    how_to = (
        f"Download the CIFAR-10 python version from "
        f"https://www.cs.toronto.edu/~kriz/cifar.html, extract it, and pass the "
        f"folder as root=... or set the environment variable {CIFAR10_ENV_VAR}."
    )
    if root is None:
        root = os.environ.get(CIFAR10_ENV_VAR)
        source = f"${CIFAR10_ENV_VAR}"
        if not root:
            raise FileNotFoundError(
                f"No CIFAR-10 folder given: root is None and {CIFAR10_ENV_VAR} is "
                f"not set. Expected a folder holding {', '.join(CIFAR10_FILES)}. "
                + how_to
            )
    else:
        source = "root argument"
    folder = Path(root).expanduser()

    # Accept the parent of the extracted archive as well as the folder itself.
    nested = folder / CIFAR10_SUBDIR
    if not (folder / CIFAR10_FILES[0]).is_file() and (nested / CIFAR10_FILES[0]).is_file():
        folder = nested

    missing = [name for name in CIFAR10_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"CIFAR-10 files not found in {str(folder)!r} (from the {source}): "
            f"missing {', '.join(missing)}. Expected {', '.join(CIFAR10_FILES)}. "
            + how_to
        )
    return folder


def _load_cifar10_batch(path):
    """Read one batch file: (X uint8 (N, 3, 32, 32), y int64 (N,))."""
    # The batches are pickles, and unpickling can run code. That is acceptable
    # here only because the user names their own data folder; never point this
    # at files from an untrusted source. encoding="bytes" reads the Python 2
    # pickles of the official archive (their keys are bytes).
    with open(path, "rb") as f:
        batch = pickle.load(f, encoding="bytes")
    X = np.asarray(batch[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
    y = np.asarray(batch[b"labels"], dtype=np.int64)
    return X, y


def load_cifar10(root=None):
    """Load the raw CIFAR-10 arrays from the python-format batch files.

    Parameters
    ----------
    root : str or path-like, optional
        Folder holding ``data_batch_1`` ... ``data_batch_5`` and
        ``test_batch`` (or its parent, if it contains ``cifar-10-batches-py``).
        Defaults to the environment variable ``CIFAR10_DIR``.

    Returns
    -------
    X_train : uint8 ndarray of shape (50000, 3, 32, 32)
    y_train : int64 ndarray of shape (50000,)
    X_test : uint8 ndarray of shape (10000, 3, 32, 32)
    y_test : int64 ndarray of shape (10000,)

    Raises
    ------
    FileNotFoundError
        If no folder is given, or it lacks any of the six batch files; the
        message names the folder and the expected files.
    """
    folder = _cifar10_folder(root)
    train = [_load_cifar10_batch(folder / name) for name in CIFAR10_TRAIN_FILES]
    X_train = np.concatenate([X for X, _ in train])
    y_train = np.concatenate([y for _, y in train])
    X_test, y_test = _load_cifar10_batch(folder / CIFAR10_TEST_FILE)
    return X_train, y_train, X_test, y_test


def get_cifar10_data(num_training=49000, num_validation=1000, num_test=1000,
                     subtract_mean=True, root=None, dtype=np.float64):
    """CIFAR-10 split into train / validation / test, ready for a classifier.

    The validation images are the ``num_validation`` training images that
    follow the first ``num_training``; the test images are the first
    ``num_test`` of the official test batch.

    Parameters
    ----------
    num_training, num_validation, num_test : int
    subtract_mean : bool
        Subtract the mean training image from all three splits.
    root : str or path-like, optional
        See :func:`load_cifar10`; defaults to ``$CIFAR10_DIR``.
    dtype : numpy dtype
        Floating type of the images (pixel values 0..255 before centring).

    Returns
    -------
    dict
        ``X_train`` ndarray of shape (num_training, 3, 32, 32), ``y_train``
        int64 (num_training,), and likewise ``X_val``/``y_val`` and
        ``X_test``/``y_test``.
    """
    X_train, y_train, X_test, y_test = load_cifar10(root)
    if num_training + num_validation > X_train.shape[0] or num_test > X_test.shape[0]:
        raise ValueError(
            f"asked for {num_training} training + {num_validation} validation and "
            f"{num_test} test images, but the files hold {X_train.shape[0]} training "
            f"and {X_test.shape[0]} test images"
        )
    val = slice(num_training, num_training + num_validation)
    splits = {
        "X_train": X_train[:num_training].astype(dtype), "y_train": y_train[:num_training],
        "X_val": X_train[val].astype(dtype), "y_val": y_train[val],
        "X_test": X_test[:num_test].astype(dtype), "y_test": y_test[:num_test],
    }
    if subtract_mean:
        _subtract_train_mean(splits)
    return splits


DATASETS = {
    "digits": load_digits_data,
    "cifar10": get_cifar10_data,
}


def load_dataset(name="digits", **kwargs):
    """Load a dataset by name; keyword arguments go to its loader.

    Parameters
    ----------
    name : str
        One of ``DATASETS``: "digits" (:func:`load_digits_data`) or
        "cifar10" (:func:`get_cifar10_data`).

    Returns
    -------
    dict
        ``X_train``, ``y_train``, ``X_val``, ``y_val``, ``X_test``, ``y_test``.
    """
    try:
        loader = DATASETS[name]
    except KeyError:
        raise ValueError(
            f"unknown dataset {name!r}; valid names are: {', '.join(sorted(DATASETS))}"
        ) from None
    return loader(**kwargs)
