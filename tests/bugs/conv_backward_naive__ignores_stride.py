"""conv_backward_naive ignores the stride: it sends each output's gradient to the window at (i, j) instead of (i*s, j*s)."""
TARGET = "layers.py"
FAILS = ("conv_naive.numgrad", "conv_naive.reference")
PASSES = ("conv_naive.reference_n1", "conv_forward_naive.fixed")
MISTAKE = "conv_backward_naive.ignores_stride"

# --- patch ---
def conv_backward_naive(dout, cache):
    x, w, b, conv_param = cache
    stride, pad = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    _, _, H_out, W_out = dout.shape
    x_pad = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dx_pad = np.zeros_like(x_pad)
    dw = np.zeros_like(w)
    for n in range(N):
        for f in range(F):
            for i in range(H_out):
                for j in range(W_out):
                    dw[f] += dout[n, f, i, j] * x_pad[n, :, i:i + HH, j:j + WW]
                    dx_pad[n, :, i:i + HH, j:j + WW] += dout[n, f, i, j] * w[f]
    dx = dx_pad[:, :, pad:pad + H, pad:pad + W]
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db
