"""batchnorm_forward treats any mode other than 'train' as test mode instead of raising ValueError."""
TARGET = "layers.py"
FAILS = ("batchnorm_forward.invalid_mode",)
PASSES = ("batchnorm_forward.fixed", "batchnorm_forward.test_mode", "batchnorm_forward.running_averages")
MISTAKE = "batchnorm_forward.no_mode_check"

# --- patch ---
def _check_mode(mode, layer):
    pass
