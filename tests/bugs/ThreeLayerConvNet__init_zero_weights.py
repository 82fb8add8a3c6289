"""ThreeLayerConvNet.__init__ starts every weight at zero (no signal reaches W1 and W2: it cannot learn)."""
TARGET = "classifiers/cnn.py"
FAILS = ("cnn.params", "cnn.overfit")
PASSES = ("cnn.initial_loss", "cnn.numgrad", "cnn.reference")
MISTAKE = "ThreeLayerConvNet.init_zero_weights"

# --- patch ---
def _init(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100,
          num_classes=10, weight_scale=1e-3, reg=0.0, dtype=np.float32):
    self.params = {}
    self.reg = reg
    self.dtype = dtype
    self.conv_param = {"stride": 1, "pad": (filter_size - 1) // 2}
    self.pool_param = {"pool_height": 2, "pool_width": 2, "stride": 2}
    C, H, W = input_dim
    pad, stride = self.conv_param["pad"], self.conv_param["stride"]
    H_pool = (1 + (H + 2 * pad - filter_size) // stride) // 2
    W_pool = (1 + (W + 2 * pad - filter_size) // stride) // 2
    self.params["W1"] = 0.0 * np.random.randn(num_filters, C, filter_size, filter_size)
    self.params["b1"] = np.zeros(num_filters)
    self.params["W2"] = 0.0 * np.random.randn(num_filters * H_pool * W_pool, hidden_dim)
    self.params["b2"] = np.zeros(hidden_dim)
    self.params["W3"] = 0.0 * np.random.randn(hidden_dim, num_classes)
    self.params["b3"] = np.zeros(num_classes)
    for name, value in self.params.items():
        self.params[name] = value.astype(dtype)


ThreeLayerConvNet.__init__ = _init
