"""conv_forward_naive pads only the top and left borders (np.pad with (pad, 0))."""
TARGET = "layers.py"
FAILS = ("conv_forward_naive.fixed", "conv_naive.numgrad", "conv_naive.reference")
PASSES = ("conv_naive.reference_n1",)
MISTAKE = "conv_forward_naive.pad_one_side"

# --- patch ---
def conv_forward_naive(x, w, b, conv_param):
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    H_out = 1 + (H + 2 * pad - HH) // stride
    W_out = 1 + (W + 2 * pad - WW) // stride
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, 0), (pad, 0)))
    out = np.zeros((N, F, H_out, W_out), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    window = x_pad[n, :, i * stride:i * stride + HH, j * stride:j * stride + WW]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out, (x, w, b, conv_param)
