"""conv_backward_naive reuses the cached input's memory for dx (dx = x; dx[:] = 0), overwriting the caller's x."""
TARGET = "layers.py"
FAILS = ("conv_naive.inputs_unmodified",)
PASSES = ("conv_naive.numgrad", "conv_naive.reference", "conv_naive.reference_n1")
MISTAKE = "conv_backward_naive.dx_in_x_buffer"

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
    dx = x
    dx[:] = dx_pad[:, :, pad:pad + H, pad:pad + W]
    db = dout.sum(axis=(0, 2, 3))
    return dx, dw, db
