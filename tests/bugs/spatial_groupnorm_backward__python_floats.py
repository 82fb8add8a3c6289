"""spatial_groupnorm_backward accumulates dgamma/dbeta entry by entry over Python lists (dout.tolist())."""
TARGET = "layers.py"
FAILS = ("spatial_groupnorm.timing",)
PASSES = ("spatial_groupnorm.reference",)

# --- patch ---
_reference_spatial_groupnorm_backward = spatial_groupnorm_backward


def spatial_groupnorm_backward(dout, cache):
    x_hat = cache[0]
    N, C, H, W = dout.shape
    dx, _, _ = _reference_spatial_groupnorm_backward(dout, cache)
    dbeta, dgamma = [0.0] * C, [0.0] * C
    for d_n, h_n in zip(dout.tolist(), x_hat.tolist()):
        for c in range(C):
            for d_row, h_row in zip(d_n[c], h_n[c]):
                for d, h in zip(d_row, h_row):
                    dbeta[c] += d
                    dgamma[c] += d * h
    shape = (1, C, 1, 1)
    return dx, np.array(dgamma, dtype=dout.dtype).reshape(shape), np.array(dbeta, dtype=dout.dtype).reshape(shape)
