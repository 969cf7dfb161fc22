"""Support code of the captioning assignment (`source/hw3_captioning/`): data, layers, solvers.

    from helpers.captioning import load_coco_data, sample_coco_minibatch, decode_captions, image_from_url
    from helpers.captioning import CaptioningSolver, TransformerSolver
    from helpers.captioning import temporal_affine_forward, temporal_affine_backward, temporal_softmax_loss
"""

from helpers.captioning.coco import decode_captions, image_from_url, load_coco_data, sample_coco_minibatch
from helpers.captioning.solver import CaptioningSolver, TransformerSolver
from helpers.captioning.temporal_layers import (temporal_affine_backward, temporal_affine_forward,
                                                temporal_softmax_loss)

__all__ = ["CaptioningSolver", "TransformerSolver", "decode_captions", "image_from_url", "load_coco_data",
           "sample_coco_minibatch", "temporal_affine_backward", "temporal_affine_forward", "temporal_softmax_loss"]
