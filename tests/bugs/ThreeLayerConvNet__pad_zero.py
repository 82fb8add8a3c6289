"""ThreeLayerConvNet convolves without padding (pad 0), so the conv output shrinks and W2 has the wrong size."""
TARGET = "classifiers/cnn.py"
FAILS = ("cnn.params", "cnn.numgrad", "cnn.reference")
PASSES = ("cnn.initial_loss", "cnn.overfit")
MISTAKE = "ThreeLayerConvNet.pad_zero"

# --- patch ---
def _init(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100,
          num_classes=10, weight_scale=1e-3, reg=0.0, dtype=np.float32):
    self.params = {}
    self.reg = reg
    self.dtype = dtype
    self.conv_param = {"stride": 1, "pad": 0}
    self.pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    C, H, W = input_dim
    pad, stride = self.conv_param["pad"], self.conv_param["stride"]
    H_pool = (1 + (H + 2 * pad - filter_size) // stride) // 2
    W_pool = (1 + (W + 2 * pad - filter_size) // stride) // 2
    self.params["W1"] = weight_scale * np.random.randn(num_filters, C, filter_size, filter_size)
    self.params["b1"] = np.zeros(num_filters)
    self.params["W2"] = weight_scale * np.random.randn(num_filters * H_pool * W_pool, hidden_dim)
    self.params["b2"] = np.zeros(hidden_dim)
    self.params["W3"] = weight_scale * np.random.randn(hidden_dim, num_classes)
    self.params["b3"] = np.zeros(num_classes)
    for name, value in self.params.items():
        self.params[name] = value.astype(dtype)


ThreeLayerConvNet.__init__ = _init
