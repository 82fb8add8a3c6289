"""batchnorm_forward looks the mode up in a dict and lets a KeyError escape for an invalid mode."""
TARGET = "layers.py"
FAILS = ("batchnorm_forward.invalid_mode",)
PASSES = ("batchnorm_forward.fixed", "batchnorm_forward.test_mode")
MISTAKE = "batchnorm_forward.mode_keyerror"

# --- patch ---
_reference_batchnorm_forward = batchnorm_forward


def batchnorm_forward(x, gamma, beta, bn_param):
    {"train": 0, "test": 1}[bn_param["mode"]]
    return _reference_batchnorm_forward(x, gamma, beta, bn_param)
