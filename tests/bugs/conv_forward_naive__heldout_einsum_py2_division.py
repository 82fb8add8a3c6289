"""held-out: conv_forward_naive (einsum over windows) computes the output size with /, so range() gets a float."""
TARGET = "layers.py"
FAILS = ('conv_forward_naive.fixed', 'conv_naive.numgrad', 'conv_naive.inputs_unmodified', 'conv_naive.reference', 'conv_naive.reference_n1')
MISTAKE = "conv_forward_naive.py2_division"

# --- patch ---
def conv_forward_naive(x, w, b, conv_param):
    s, p = conv_param["stride"], conv_param["pad"]
    N, C, H, W = x.shape
    F, _, HH, WW = w.shape
    Ho, Wo = (H + 2 * p - HH) / s + 1, (W + 2 * p - WW) / s + 1
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), mode="constant")
    rows = []
    for i in range(Ho):
        cols = []
        for j in range(Wo):
            cols.append(np.einsum("nchw,fchw->nf", xp[:, :, i * s:i * s + HH, j * s:j * s + WW], w) + b)
        rows.append(np.stack(cols, axis=-1))
    out = np.stack(rows, axis=-2)
    return out, (x, w, b, conv_param)
