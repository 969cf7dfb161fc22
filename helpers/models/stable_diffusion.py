"""Load Stable Diffusion v1: the real pretrained pipeline, or a tiny offline one.

`load_stable_diffusion()` returns a diffusers `StableDiffusionPipeline` either way, with
the same components (`unet`, `vae`, `text_encoder`, `tokenizer`, `scheduler`,
`safety_checker`, `feature_extractor`), module types and call signatures, so notebook code
runs unchanged. Full mode loads the real weights from the Hugging Face cache and says
how to fetch them when they are missing; sample mode builds a randomly initialised
miniature from configs (as diffusers' own tests do) with the real CLIP tokenizer.
"""

from __future__ import annotations

import os

import torch

from helpers.data.registry import load, lookup
from helpers.device import default_device

# The noise schedule Stable Diffusion v1 was trained with (its scheduler_config.json).
SCHEDULE = dict(num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")


class _NoNsfwNotice:
    """Drops diffusers' "Potential NSFW content was detected ..." warning, which the safety
    checker logs to stderr on every flag: notebooks report flags themselves, and a graded
    cell that writes to stderr loses its points. Other warnings pass."""

    def filter(self, record) -> bool:
        return not str(record.getMessage()).startswith("Potential NSFW content was detected")


def quiet_safety_checker_notice() -> None:
    """Install the filter (once) on the logger of diffusers' safety checker module."""
    import logging

    logger = logging.getLogger("diffusers.pipelines.stable_diffusion.safety_checker")
    if not any(isinstance(f, _NoNsfwNotice) for f in logger.filters):
        logger.addFilter(_NoNsfwNotice())


class NotCachedError(RuntimeError):
    """Pretrained weights are not in the local cache and cannot be downloaded here."""


def load_stable_diffusion(device: str | torch.device | None = None, dtype: torch.dtype | None = None):
    """The Stable Diffusion pipeline on `device` (default: GPU if any): real, or tiny in sample mode."""
    device = torch.device(device) if device is not None else default_device()
    return load("stable_diffusion", device=device, dtype=dtype)


def pretrained_stable_diffusion(device: torch.device, dtype: torch.dtype | None = None,
                                repo_id: str | None = None):
    """The real pipeline: from the course's snapshot folder or one fetched from the course
    mirror earlier, else the Hugging Face cache, else fetched now from the course mirror when
    one is set; NotCachedError (or the mirror's one-line DownloadError) when none has it."""
    from diffusers import StableDiffusionPipeline
    from diffusers.pipelines import pipeline_utils
    from diffusers.utils import is_accelerate_available
    from huggingface_hub import try_to_load_from_cache

    from helpers.data.hf_mirror import fetch_snapshot, local_snapshot, mirror_has
    from helpers.data.mirror import data_mirror, hf_snapshots
    from helpers.data.registry import download_entry_file

    repo_id = repo_id or lookup("stable_diffusion").real.repo_id
    snapshots, folder = hf_snapshots(), local_snapshot(repo_id)
    in_hf_cache = isinstance(try_to_load_from_cache(repo_id, "model_index.json"), str)
    if folder is not None:  # the course's snapshot folder, or one fetched from the course mirror
        source = str(folder)
    elif in_hf_cache:
        source = repo_id
    elif data_mirror() and (mirror_has(repo_id) or snapshots is None):  # the mirror's one-line error if it is down
        source = str(fetch_snapshot("stable_diffusion", repo_id, download_entry_file))
    elif snapshots is not None:
        raise NotCachedError(
            f"{repo_id} is not in the snapshot folder {snapshots} (COURSE_HF_SNAPSHOTS or hf_snapshots in the "
            f"course config): expected {snapshots / repo_id / 'model_index.json'}. Copy a snapshot there "
            f"(`hf download {repo_id} --local-dir {snapshots / repo_id}`), or turn on sample mode "
            "(COURSE_SAMPLE_MODE=1).")
    else:
        home = os.environ.get("HF_HOME", "~/.cache/huggingface")
        raise NotCachedError(
            f"{repo_id} is not cached (looked in {home}). Fetch it on a machine with network with "
            f"`hf download {repo_id}` (same HF_HOME), or turn on sample mode (COURSE_SAMPLE_MODE=1) "
            "for the tiny offline pipeline.")
    dtype = dtype or (torch.float16 if device.type == "cuda" else torch.float32)
    quiet_safety_checker_notice()
    # `dtype` where diffusers knows it (it deprecates `torch_dtype`), and no low-memory loading
    # without accelerate: otherwise each prints a warning into the student's loading cell.
    dtype_kw = "dtype" if hasattr(pipeline_utils, "_resolve_dtype") else "torch_dtype"
    pipe = StableDiffusionPipeline.from_pretrained(source, local_files_only=True, **{dtype_kw: dtype},
                                                   low_cpu_mem_usage=is_accelerate_available())
    if len(pipe.tokenizer) < 1000:  # transformers can hand back a stub tokenizer offline
        raise NotCachedError(f"the tokenizer of {repo_id} loaded with only {len(pipe.tokenizer)} tokens; "
                             f"the cache is incomplete: fetch it again with `hf download {repo_id}`")
    return pipe.to(device)


def sample_stable_diffusion(device: torch.device, dtype: torch.dtype | None = None):
    """Sample mode's stand-in: the tiny pipeline, its safety checker set to flag some of
    the sample people photos (in float32: the tiny model is fast enough without halves)."""
    quiet_safety_checker_notice()
    pipe = tiny_stable_diffusion()
    calibrate_safety_checker(pipe.safety_checker, SAMPLE_FLAGGED)
    return pipe.to(device)


def tiny_stable_diffusion(seed: int = 0):
    """A miniature Stable Diffusion v1 pipeline built from configs, offline, on the CPU.

    UNet and VAE with channels (32, 64) make 64x64 images from 32x32x4 latents; the
    text encoder is a 2-layer CLIP with width 32 over CLIP's real 49,408-token vocabulary.
    """
    from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPTextConfig, CLIPTextModel

    from helpers.models.clip_tokenizer import MAX_LENGTH, clip_tokenizer
    from helpers.renormalize import STATS

    width = 32
    tokenizer = clip_tokenizer()
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64), layers_per_block=1, sample_size=32, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=width, norm_num_groups=8, attention_head_dim=2)
    vae = AutoencoderKL(
        block_out_channels=(32, 64), in_channels=3, out_channels=3, latent_channels=4, norm_num_groups=8,
        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2)
    text_config = dict(hidden_size=width, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
                       vocab_size=len(tokenizer), max_position_embeddings=MAX_LENGTH,
                       bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                       pad_token_id=tokenizer.pad_token_id, projection_dim=width)
    text_encoder = CLIPTextModel(CLIPTextConfig(**text_config))
    vision_config = dict(hidden_size=width, intermediate_size=37, num_attention_heads=4, num_hidden_layers=2,
                         image_size=224, patch_size=32, projection_dim=width)
    safety_checker = StableDiffusionSafetyChecker(
        CLIPConfig(text_config=text_config, vision_config=vision_config, projection_dim=width))
    feature_extractor = CLIPImageProcessor(
        size={"shortest_edge": 224}, crop_size={"height": 224, "width": 224},
        image_mean=list(STATS["clip"][0]), image_std=list(STATS["clip"][1]))
    scheduler = PNDMScheduler(skip_prk_steps=True, steps_offset=1, **SCHEDULE)
    return StableDiffusionPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet,
                                   scheduler=scheduler, safety_checker=safety_checker,
                                   feature_extractor=feature_extractor, requires_safety_checker=True)


# Which of the sample-mode people images the tiny safety checker flags (two batches of 10).
SAMPLE_FLAGGED = (4, 13)


def calibrate_safety_checker(checker, flag: tuple[int, ...], folder=None) -> tuple[int, ...]:
    """Set a randomly initialised safety checker to flag exactly the images `flag` of an
    ImageFolder (default: the sample people folder), given CLIP-normalized 224x224 input.

    A random checker flags nothing (its concept thresholds start at 1.0), and its random
    image embeddings are nearly parallel. This first sets the projection to whiten the
    vision features of these images (so their embeddings spread out), then points one
    concept along the least-squares direction that scores the flagged images' embeddings
    +1 and the others -1, puts its threshold half way between the two groups, and
    switches the other concepts off.
    """
    import torch.nn.functional as F
    from torchvision.datasets import ImageFolder
    from torchvision.transforms import Compose, Normalize, ToTensor

    from helpers.data.samples import sample_people_folder
    from helpers.renormalize import STATS

    mean, std = STATS["clip"]
    images = ImageFolder(str(folder or sample_people_folder()), transform=Compose([ToTensor(), Normalize(mean, std)]))
    batch = torch.stack([images[i][0] for i in range(len(images))])
    with torch.no_grad():
        pooled = checker.vision_model(batch)[1].double()  # (N, hidden)
        centred = pooled - pooled.mean(0)
        _, sing, vt = torch.linalg.svd(centred, full_matrices=False)
        keep = sing > sing[0] * 1e-6
        whiten = torch.zeros_like(checker.visual_projection.weight, dtype=torch.float64)
        whiten[: int(keep.sum())] = vt[keep] / sing[keep, None]
        shared = F.normalize(pooled.mean(0), dim=0)
        whiten -= (whiten @ shared)[:, None] * shared[None]  # no response to what all images share
        checker.visual_projection.weight.copy_(whiten.float())
        emb = F.normalize(checker.visual_projection(checker.vision_model(batch)[1]), dim=-1)
        chosen = torch.zeros(len(images), dtype=torch.bool)
        chosen[list(flag)] = True
        score = chosen.double() * 2 - 1
        direction = torch.linalg.lstsq(emb.double(), score[:, None], driver="gelsd").solution[:, 0]
        concept = F.normalize(direction.float(), dim=0)
        cos = emb @ concept
        low, high = cos[chosen].min().item(), cos[~chosen].max().item()
        if low - high < 0.02:  # the checker rounds scores to 3 decimals
            raise RuntimeError(f"cannot separate images {flag} from the others (margin {low - high:.4f})")
        checker.concept_embeds.copy_(concept.expand_as(checker.concept_embeds))
        checker.concept_embeds_weights.fill_(2.0)  # cosines never exceed 1: switched off
        checker.concept_embeds_weights[0] = (low + high) / 2
        checker.special_care_embeds_weights.fill_(2.0)
    return tuple(flag)
