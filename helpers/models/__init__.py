"""Pretrained-model loaders: the real weights in full mode, tiny models built from configs
in sample mode (each model is one entry of `helpers.data.registry`).

    from helpers.models import load_stable_diffusion, clip_tokenizer
"""

from helpers.models.clip_tokenizer import clip_tokenizer
from helpers.models.mnist_classifier import mnist_classifier
from helpers.models.stable_diffusion import NotCachedError, load_stable_diffusion

__all__ = ["NotCachedError", "clip_tokenizer", "load_stable_diffusion", "mnist_classifier"]
