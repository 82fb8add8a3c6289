"""Complete models: each has ``params`` and ``loss(X, y=None)`` as the Solver expects."""
from nnlayers.classifiers.cnn import ThreeLayerConvNet
from nnlayers.classifiers.fc_net import FullyConnectedNet

__all__ = ["FullyConnectedNet", "ThreeLayerConvNet"]
