"""batchnorm_backward_alt accumulates its batch sums entry by entry over Python lists (x.tolist()) in a double loop."""
TARGET = "layers.py"
FAILS = ("batchnorm_alt.timing",)
PASSES = ("batchnorm_backward_alt.reference", "batchnorm_backward_alt.numgrad")

# --- patch ---
def batchnorm_backward_alt(dout, cache):
    x_hat, _, inv_std, gamma = cache
    N, D = dout.shape
    g = gamma.tolist()
    dbeta, dgamma, s1, s2 = [0.0] * D, [0.0] * D, [0.0] * D, [0.0] * D
    for row_d, row_h in zip(dout.tolist(), x_hat.tolist()):
        for j in range(D):
            d, h = row_d[j], row_h[j]
            dbeta[j] += d
            dgamma[j] += d * h
            s1[j] += d * g[j]
            s2[j] += d * g[j] * h
    dx = (inv_std / N) * (N * dout * gamma - np.array(s1) - x_hat * np.array(s2))
    return dx.astype(dout.dtype), np.array(dgamma, dtype=dout.dtype), np.array(dbeta, dtype=dout.dtype)
