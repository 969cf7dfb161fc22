"""Support code of the network-visualization homework (`source/hw3_netvis/`): no answers.

    from helpers.netvis import load_model, load_images, jitter, blur_image

`load_model()` is SqueezeNet 1.1 trained on ImageNet, or in sample mode the course's
small MNIST classifier; both are frozen, in eval mode, and carry `preprocess`,
`deprocess` and `class_names`, so the same notebook code runs on either.
"""

from helpers.netvis.data import load_images
from helpers.netvis.images import blur_image, jitter
from helpers.netvis.models import load_model

__all__ = ["blur_image", "jitter", "load_images", "load_model"]
