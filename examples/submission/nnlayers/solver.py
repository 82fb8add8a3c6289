"""Minibatch training loop for classification models.

A ``Solver`` trains any model that follows this contract:

- ``model.params``: dict mapping a parameter name to an ndarray.
- ``model.loss(X, y=None)``: with ``y=None`` (test time) returns class scores
  of shape (N, C); with labels (training time) returns ``(loss, grads)`` where
  ``loss`` is a float and ``grads`` has the same keys and shapes as
  ``model.params``.

Example::

    data = load_digits_data()          # X_train, y_train, X_val, y_val, ...
    model = FullyConnectedNet([100], input_dim=64, num_classes=10)
    solver = Solver(model, data, update_rule="sgd_momentum",
                    optim_config={"learning_rate": 1e-2},
                    lr_decay=0.95, num_epochs=10, batch_size=100)
    solver.train()
    solver.best_val_acc, solver.loss_history[-1]

Sampling minibatches uses numpy's global random state; call
``np.random.seed(...)`` before building the solver for a reproducible run.
"""
from __future__ import annotations

import inspect
import pickle

import numpy as np

from nnlayers import optim

REQUIRED_DATA_KEYS = ("X_train", "y_train", "X_val", "y_val")


def update_rules():
    """Return the update rules of :mod:`nnlayers.optim`, by name.

    A rule is any public function defined in that module.
    """
    return {
        name: func
        for name, func in inspect.getmembers(optim, inspect.isfunction)
        if not name.startswith("_") and func.__module__ == optim.__name__
    }


class Solver:
    """Train a classification model with minibatch gradient descent.

    Parameters
    ----------
    model : object
        Follows the model contract in the module docstring.
    data : dict
        ``X_train`` (N_train, ...), ``y_train`` (N_train,), ``X_val`` (N_val, ...),
        ``y_val`` (N_val,). Labels are integers in [0, C).
    update_rule : str, default "sgd"
        Name of a rule in :mod:`nnlayers.optim` ("sgd", "sgd_momentum",
        "rmsprop", "adam").
    optim_config : dict, optional
        Hyperparameters passed to the update rule, e.g.
        ``{"learning_rate": 1e-3}``. Each parameter gets its own copy, since
        the rules keep per-parameter state in it.
    lr_decay : float, default 1.0
        The learning rate is multiplied by this after every epoch.
    batch_size : int, default 100
        Minibatch size for training and for computing accuracies.
    num_epochs : int, default 10
    num_train_samples : int or None, default 1000
        Training examples subsampled to estimate training accuracy after each
        epoch; None uses the whole training set.
    num_val_samples : int or None, default None
        Same for validation accuracy; None uses the whole validation set.
    checkpoint_name : str or None, default None
        If given, after each epoch pickle the model and histories to
        ``f"{checkpoint_name}_epoch_{epoch}.pkl"``.
    print_every : int, default 10
        Print the training loss every this many iterations.
    verbose : bool, default True
        Print progress (plain flushed lines, fine in terminals and notebooks).

    Attributes
    ----------
    loss_history : list of float
        Training loss of every iteration.
    train_acc_history, val_acc_history : list of float
        Accuracies measured at the start and after every epoch.
    best_val_acc : float
    best_params : dict
        Copy of ``model.params`` at the best validation accuracy; at the end
        of :meth:`train` the model's parameters are set to these.

    Raises
    ------
    TypeError
        For a keyword argument the solver does not know.
    ValueError
        For an unknown update rule (the message lists the valid ones) or a
        data dict missing one of the required arrays.
    """

    def __init__(
        self,
        model,
        data,
        *,
        update_rule="sgd",
        optim_config=None,
        lr_decay=1.0,
        batch_size=100,
        num_epochs=10,
        num_train_samples=1000,
        num_val_samples=None,
        checkpoint_name=None,
        print_every=10,
        verbose=True,
    ):
        missing = [key for key in REQUIRED_DATA_KEYS if key not in data]
        if missing:
            raise ValueError(
                f"data is missing {', '.join(missing)}; "
                f"it needs {', '.join(REQUIRED_DATA_KEYS)}"
            )
        rules = update_rules()
        if update_rule not in rules:
            raise ValueError(
                f"unknown update_rule {update_rule!r}; "
                f"valid names are: {', '.join(sorted(rules))}"
            )

        self.model = model
        self.X_train = data["X_train"]
        self.y_train = data["y_train"]
        self.X_val = data["X_val"]
        self.y_val = data["y_val"]

        self.update_rule_name = update_rule
        self.update_rule = rules[update_rule]
        self.optim_config = dict(optim_config or {})
        self.lr_decay = lr_decay
        self.batch_size = batch_size
        self.num_epochs = num_epochs
        self.num_train_samples = num_train_samples
        self.num_val_samples = num_val_samples
        self.checkpoint_name = checkpoint_name
        self.print_every = print_every
        self.verbose = verbose

        self._reset()

    def _reset(self):
        """Clear the bookkeeping; called by the constructor."""
        self.epoch = 0
        self.best_val_acc = 0.0
        self.best_params = {}
        self.loss_history = []
        self.train_acc_history = []
        self.val_acc_history = []
        # Each parameter gets its own config dict: the rules store state in it.
        self.optim_configs = {name: dict(self.optim_config) for name in self.model.params}

    def _log(self, message):
        if self.verbose:
            print(message, flush=True)

    def _step(self):
        """Take one gradient step on a random minibatch. Called by train()."""
        num_train = self.X_train.shape[0]
        batch_mask = np.random.choice(num_train, self.batch_size)
        X_batch = self.X_train[batch_mask]
        y_batch = self.y_train[batch_mask]

        loss, grads = self.model.loss(X_batch, y_batch)
        self.loss_history.append(float(loss))

        for name, w in self.model.params.items():
            next_w, next_config = self.update_rule(w, grads[name], self.optim_configs[name])
            self.model.params[name] = next_w
            self.optim_configs[name] = next_config

    def _save_checkpoint(self):
        if self.checkpoint_name is None:
            return
        checkpoint = {
            "model": self.model,
            "update_rule": self.update_rule_name,
            "lr_decay": self.lr_decay,
            "optim_config": self.optim_config,
            "batch_size": self.batch_size,
            "num_train_samples": self.num_train_samples,
            "num_val_samples": self.num_val_samples,
            "epoch": self.epoch,
            "loss_history": self.loss_history,
            "train_acc_history": self.train_acc_history,
            "val_acc_history": self.val_acc_history,
        }
        filename = f"{self.checkpoint_name}_epoch_{self.epoch}.pkl"
        self._log(f'Saving checkpoint to "{filename}"')
        with open(filename, "wb") as f:
            pickle.dump(checkpoint, f)

    def check_accuracy(self, X, y, num_samples=None, batch_size=100):
        """Fraction of examples the model classifies correctly.

        Parameters
        ----------
        X : ndarray of shape (N, ...)
        y : ndarray of shape (N,)
        num_samples : int or None
            If given and smaller than N, score a random subset of this size.
        batch_size : int
            Examples scored per call to ``model.loss``.

        Returns
        -------
        float in [0, 1]
        """
        N = X.shape[0]
        if num_samples is not None and N > num_samples:
            mask = np.random.choice(N, num_samples)
            N, X, y = num_samples, X[mask], y[mask]

        y_pred = np.concatenate([
            np.argmax(self.model.loss(X[start:start + batch_size]), axis=1)
            for start in range(0, N, batch_size)
        ])
        return float(np.mean(y_pred == y))

    def train(self):
        """Run the optimisation, then load the best parameters into the model."""
        num_train = self.X_train.shape[0]
        iterations_per_epoch = max(num_train // self.batch_size, 1)
        num_iterations = self.num_epochs * iterations_per_epoch

        for t in range(num_iterations):
            self._step()

            if t % self.print_every == 0:
                self._log(
                    f"(Iteration {t + 1} / {num_iterations}) loss: {self.loss_history[-1]:f}"
                )

            epoch_end = (t + 1) % iterations_per_epoch == 0
            if epoch_end:
                self.epoch += 1
                for config in self.optim_configs.values():
                    if "learning_rate" in config:
                        config["learning_rate"] *= self.lr_decay

            # Measure accuracies on the first iteration, the last one, and at
            # the end of each epoch.
            if t == 0 or t == num_iterations - 1 or epoch_end:
                train_acc = self.check_accuracy(
                    self.X_train, self.y_train, num_samples=self.num_train_samples,
                    batch_size=self.batch_size,
                )
                val_acc = self.check_accuracy(
                    self.X_val, self.y_val, num_samples=self.num_val_samples,
                    batch_size=self.batch_size,
                )
                self.train_acc_history.append(train_acc)
                self.val_acc_history.append(val_acc)
                self._save_checkpoint()
                self._log(
                    f"(Epoch {self.epoch} / {self.num_epochs}) "
                    f"train acc: {train_acc:f}; val_acc: {val_acc:f}"
                )

                if val_acc > self.best_val_acc or not self.best_params:
                    self.best_val_acc = val_acc
                    self.best_params = {k: v.copy() for k, v in self.model.params.items()}

        # Swap in copies, so that training again cannot overwrite best_params.
        if self.best_params:
            self.model.params = {k: v.copy() for k, v in self.best_params.items()}
