"""FullyConnectedNet.__init__ draws the biases like the weights instead of starting them at zero."""
TARGET = "classifiers/fc_net.py"
FAILS = ("fc_net.params",)
PASSES = ("fc_net.initial_loss", "fc_net.numgrad", "fc_net.reference")
MISTAKE = "FullyConnectedNet.init_random_biases"

# --- patch ---
def _init(self, hidden_dims, input_dim=3 * 32 * 32, num_classes=10, dropout=0.0,
          normalization=None, reg=0.0, weight_scale=1e-2, dtype=np.float32, seed=None):
    hidden_dims = list(hidden_dims)
    self.normalization = normalization
    self.use_dropout = dropout > 0
    self.reg = reg
    self.num_layers = 1 + len(hidden_dims)
    self.dtype = dtype
    self.params = {}
    dims = [input_dim, *hidden_dims, num_classes]
    for i in range(1, self.num_layers + 1):
        self.params[f"W{i}"] = weight_scale * np.random.randn(dims[i - 1], dims[i])
        self.params[f"b{i}"] = weight_scale * np.random.randn(dims[i])
        if normalization is not None and i < self.num_layers:
            self.params[f"gamma{i}"] = np.ones(dims[i])
            self.params[f"beta{i}"] = np.zeros(dims[i])
    self.dropout_param = {}
    if self.use_dropout:
        self.dropout_param = {"mode": "train", "p": dropout}
        if seed is not None:
            self.dropout_param["seed"] = seed
    self.bn_params = []
    if self.normalization is not None:
        self.bn_params = [{"mode": "train"} for _ in range(self.num_layers - 1)]
    for name, value in self.params.items():
        self.params[name] = value.astype(dtype)


FullyConnectedNet.__init__ = _init
