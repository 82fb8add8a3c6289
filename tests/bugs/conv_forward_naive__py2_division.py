"""conv_forward_naive computes the output size with / (Python 2 habit): float sizes break np.zeros/range (seed 000/001)."""
TARGET = "layers.py"
FAILS = ("conv_forward_naive.fixed", "conv_naive.numgrad", "conv_naive.reference", "conv_naive.reference_n1",
         "conv_naive.inputs_unmodified")
MISTAKE = "conv_forward_naive.py2_division"

# --- patch ---
def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) / stride
    W_out = 1 + (W + 2 * pad - WW) / stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for i in range(H_out):
        for j in range(W_out):
            window = x_pad[:, :, i * stride:i * stride + HH, j * stride:j * stride + WW].reshape(N, -1)
            out[:, :, i, j] = window @ w.reshape(F, -1).T + b
    return out, (x, w, b, conv_param)
