"""Solver: training loop, validation of its options, checkpoints."""
from __future__ import annotations

import pickle
import time

import numpy as np
import pytest

from nnlayers import optim
from nnlayers.classifiers import FullyConnectedNet
from nnlayers.data import load_digits_data
from nnlayers.solver import Solver, update_rules


@pytest.fixture(scope="module")
def digits():
    return load_digits_data(seed=0)


@pytest.fixture
def small_data(digits):
    return {
        "X_train": digits["X_train"][:50], "y_train": digits["y_train"][:50],
        "X_val": digits["X_val"], "y_val": digits["y_val"],
    }


def digits_net(**kwargs):
    return FullyConnectedNet([50], input_dim=64, num_classes=10, weight_scale=5e-2, **kwargs)


def make_solver(data, **kwargs):
    np.random.seed(0)
    kwargs = {"update_rule": "adam", "optim_config": {"learning_rate": 1e-2},
              "num_epochs": 10, "batch_size": 25, "verbose": False, **kwargs}
    return Solver(digits_net(), data, **kwargs)


@pytest.mark.parametrize("rule, lr", [
    ("adam", 1e-2), ("rmsprop", 1e-2), ("sgd_momentum", 1e-1), ("sgd", 3e-1),
])
def test_overfits_small_dataset(small_data, rule, lr):
    solver = make_solver(small_data, update_rule=rule, optim_config={"learning_rate": lr},
                         num_epochs=40)
    start = time.perf_counter()
    solver.train()
    assert time.perf_counter() - start < 5
    assert solver.check_accuracy(small_data["X_train"], small_data["y_train"]) >= 0.9
    assert solver.loss_history[-1] < solver.loss_history[0]


def test_histories_and_progress_lines(small_data, capsys):
    solver = make_solver(small_data, num_epochs=3, batch_size=10, print_every=2, verbose=True)
    solver.train()
    # 50 examples / batch 10 = 5 iterations per epoch
    assert len(solver.loss_history) == 15
    assert len(solver.train_acc_history) == len(solver.val_acc_history) == 1 + 3
    assert solver.epoch == 3
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("(Iteration 1 / 15) loss: ")
    assert lines[1].startswith("(Epoch 0 / 3) train acc: ")
    assert "; val_acc: " in lines[1]
    assert sum(line.startswith("(Iteration") for line in lines) == 8   # t = 0, 2, ..., 14
    assert lines[-1].startswith("(Epoch 3 / 3)")


def test_quiet_when_not_verbose(small_data, capsys):
    make_solver(small_data, num_epochs=1).train()
    assert capsys.readouterr().out == ""


def test_best_params_are_kept(small_data):
    solver = make_solver(small_data, num_epochs=5)
    solver.train()
    assert solver.best_val_acc == max(solver.val_acc_history)
    assert set(solver.best_params) == set(solver.model.params)
    for name, value in solver.best_params.items():
        np.testing.assert_array_equal(solver.model.params[name], value)
        assert solver.model.params[name] is not value   # training again cannot clobber them
    assert solver.check_accuracy(small_data["X_val"], small_data["y_val"]) == solver.best_val_acc


def test_per_parameter_optim_configs_and_lr_decay(small_data):
    solver = make_solver(small_data, num_epochs=2, lr_decay=0.5)
    assert set(solver.optim_configs) == set(solver.model.params)
    configs = list(solver.optim_configs.values())
    assert all(a is not b for a, b in zip(configs, configs[1:]))
    solver.train()
    for config in solver.optim_configs.values():
        assert config["learning_rate"] == pytest.approx(1e-2 * 0.5**2)
        assert config["t"] == 4       # 50 / 25 = 2 steps per epoch
    assert solver.optim_config == {"learning_rate": 1e-2}   # the caller's dict is untouched


def test_checkpoint_written(small_data, tmp_path):
    name = str(tmp_path / "run")
    solver = make_solver(small_data, num_epochs=2, checkpoint_name=name)
    solver.train()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["run_epoch_0.pkl", "run_epoch_1.pkl", "run_epoch_2.pkl"]
    with open(tmp_path / "run_epoch_2.pkl", "rb") as f:
        checkpoint = pickle.load(f)
    assert checkpoint["epoch"] == 2
    assert checkpoint["update_rule"] == "adam"
    assert checkpoint["loss_history"] == solver.loss_history
    assert checkpoint["val_acc_history"] == solver.val_acc_history
    assert set(checkpoint["model"].params) == set(solver.model.params)


def test_check_accuracy_subsamples_and_batches(small_data):
    solver = make_solver(small_data)
    X, y = small_data["X_val"], small_data["y_val"]
    full = solver.check_accuracy(X, y, batch_size=7)
    assert full == solver.check_accuracy(X, y, batch_size=1000)
    sub = solver.check_accuracy(X, y, num_samples=20)
    assert sub * 20 == pytest.approx(round(sub * 20))


def test_unknown_keyword_is_a_type_error(small_data):
    with pytest.raises(TypeError, match="learning_rate"):
        Solver(digits_net(), small_data, learning_rate=1e-3)


def test_bad_update_rule_lists_valid_names(small_data):
    with pytest.raises(ValueError) as info:
        Solver(digits_net(), small_data, update_rule="adagrad")
    message = str(info.value)
    assert "adagrad" in message
    for name in ("adam", "rmsprop", "sgd", "sgd_momentum"):
        assert name in message


def test_update_rules_table_is_the_optim_module():
    rules = update_rules()
    assert set(rules) == {"sgd", "sgd_momentum", "rmsprop", "adam"}
    assert rules["adam"] is optim.adam


def test_missing_data_key(small_data):
    del small_data["y_val"]
    with pytest.raises(ValueError, match="y_val"):
        Solver(digits_net(), small_data)


class RecordingModel:
    """A minimal model following the Solver contract: a linear softmax
    classifier that records the batch sizes it was called with."""

    def __init__(self, dim, classes):
        self.params = {"W": np.zeros((dim, classes))}
        self.batches = []

    def loss(self, X, y=None):
        X = X.reshape(X.shape[0], -1)
        self.batches.append(X.shape[0])
        scores = X @ self.params["W"]
        if y is None:
            return scores
        shifted = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
        loss = -np.log(probs[np.arange(len(y)), y]).mean()
        probs[np.arange(len(y)), y] -= 1
        return loss, {"W": X.T @ probs / len(y)}


def test_works_with_any_model_following_the_contract(small_data):
    np.random.seed(0)
    model = RecordingModel(64, 10)
    solver = Solver(model, small_data, update_rule="sgd", optim_config={"learning_rate": 0.5},
                    batch_size=10, num_epochs=2, num_train_samples=None, verbose=False)
    solver.train()
    assert solver.loss_history[-1] < solver.loss_history[0]
    assert 10 in model.batches
