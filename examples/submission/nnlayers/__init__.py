"""nnlayers: neural-network layers written in plain numpy.

Every layer follows one contract::

    out, cache = <layer>_forward(inputs..., params)
    grads = <layer>_backward(dout, cache)

Submodules (imported explicitly, never eagerly from here, so that a missing
or unfinished module does not break the others):

- ``nnlayers.layers``: the layers students implement (affine, ReLU, losses,
  batch/layer/group normalization, dropout, naive convolution and pooling).
- ``nnlayers.fast_layers``: fast convolution and pooling with the same API.
- ``nnlayers.layer_utils``: "sandwich" layers chaining common patterns.
- ``nnlayers.gradient_check``: numerical gradients and ``rel_error``.
"""
