"""conv_backward_naive returns the gradient of the padded input (forgets to crop the padding from dx)."""
TARGET = "layers.py"
FAILS = ("conv_naive.numgrad", "conv_naive.reference")
PASSES = ("conv_naive.reference_n1", "conv_naive.inputs_unmodified")
MISTAKE = "conv_backward_naive.dx_not_cropped"

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
    for i in range(H_out):
        for j in range(W_out):
            t, l = i * stride, j * stride
            g = dout[:, :, i, j]
            dw += (g.T @ x_pad[:, :, t:t + HH, l:l + WW].reshape(N, -1)).reshape(w.shape)
            dx_pad[:, :, t:t + HH, l:l + WW] += (g @ w.reshape(F, -1)).reshape(N, C, HH, WW)
    db = dout.sum(axis=(0, 2, 3))
    return dx_pad, dw, db
