"""Support code of the GAN assignment (`source/hw3_gans/`): MNIST batches, image grids, a judge.

    from helpers.gans import mnist_loader, show_images, image_grid, count_params
    from helpers.gans import generate, judge_generator, judge_images, uniform_noise
"""

from helpers.gans.data import count_params, mnist_loader
from helpers.gans.display import image_grid, show_images
from helpers.gans.judge import Judgement, generate, judge_generator, judge_images, uniform_noise

__all__ = ["Judgement", "count_params", "generate", "image_grid", "judge_generator", "judge_images", "mnist_loader",
           "show_images", "uniform_noise"]
