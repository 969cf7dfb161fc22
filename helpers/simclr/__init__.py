"""Support code of the SimCLR assignment (`source/hw3_simclr/`): data, models, linear evaluation, plots.

    from helpers.simclr import MEAN, STD, ImageSet, test_transform, as_batch
    from helpers.simclr import SimCLR, random_simclr, evaluate_encoder, linear_probe, probe_predictions
    from helpers.simclr import image_strip, view_strip, accuracy_plot, temperature_plot

The data (`helpers.data.load("cifar10")`) and the pretrained model
(`helpers.data.load("simclr_resnet50")`) come through the course registry, which picks
CIFAR-10 and ResNet-50 in full mode, coloured MNIST digits and a small CNN in sample mode.
"""

from helpers.simclr.data import MEAN, STD, ImageSet, as_batch, test_transform, unnormalize
from helpers.simclr.finetune import (ProbeResult, evaluate_encoder, extract_features, linear_probe,
                                     probe_predictions)
from helpers.simclr.model import SAMPLE_WEIGHTS, SimCLR, random_simclr, simclr_architecture
from helpers.simclr.plots import accuracy_plot, image_strip, temperature_plot, view_strip

__all__ = ["MEAN", "SAMPLE_WEIGHTS", "STD", "ImageSet", "ProbeResult", "SimCLR", "accuracy_plot", "as_batch",
           "evaluate_encoder", "extract_features", "image_strip", "linear_probe", "probe_predictions", "random_simclr",
           "simclr_architecture", "temperature_plot", "test_transform", "unnormalize", "view_strip"]
