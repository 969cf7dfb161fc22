"""The Stable Diffusion loader: the tiny offline pipeline, and full mode's clear refusal."""

import time

import pytest
import torch

from helpers.models.clip_tokenizer import clip_tokenizer
from helpers.data.registry import lookup
from helpers.models.stable_diffusion import NotCachedError, load_stable_diffusion

REPO_ID = lookup("stable_diffusion").real.repo_id


@pytest.fixture(scope="module")
def pipe():
    return load_stable_diffusion(device="cpu")


def test_real_clip_tokenizer_offline():
    tok = clip_tokenizer()
    assert len(tok) == 49408
    assert tok("a photo of a cat").input_ids == [49406, 320, 1125, 539, 320, 2368, 49407]
    padded = tok("a photo of a cat", padding="max_length", max_length=tok.model_max_length).input_ids
    assert len(padded) == 77


def test_tiny_pipeline_has_the_real_components(pipe):
    from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
    from transformers import CLIPImageProcessor, CLIPTextModel, CLIPTokenizer

    assert isinstance(pipe, StableDiffusionPipeline)
    expected = {"unet": UNet2DConditionModel, "vae": AutoencoderKL, "text_encoder": CLIPTextModel,
                "tokenizer": CLIPTokenizer, "scheduler": PNDMScheduler,
                "safety_checker": StableDiffusionSafetyChecker, "feature_extractor": CLIPImageProcessor}
    for name, cls in expected.items():
        assert isinstance(getattr(pipe, name), cls), name
    assert pipe.unet.config.in_channels == pipe.vae.config.latent_channels == 4
    assert pipe.text_encoder.config.hidden_size == pipe.unet.config.cross_attention_dim
    assert pipe.scheduler.config.beta_schedule == "scaled_linear"


def test_tiny_pipeline_generates_and_checks_safety_in_seconds(pipe, capsys):
    start = time.perf_counter()
    out = pipe("a photo of an astronaut", num_inference_steps=5, guidance_scale=7.5,
               generator=torch.Generator().manual_seed(0))
    elapsed = time.perf_counter() - start
    image = out.images[0]
    size = pipe.unet.config.sample_size * pipe.vae_scale_factor
    assert image.size == (size, size)
    assert out.nsfw_content_detected == [False]  # the safety checker ran on it
    assert elapsed < 30, f"tiny pipeline took {elapsed:.1f} s"


def test_pipeline_steps_by_hand_match_the_real_call_signatures(pipe):
    tok = pipe.tokenizer("a cat", padding="max_length", max_length=pipe.tokenizer.model_max_length,
                         return_tensors="pt")
    with torch.no_grad():
        emb = pipe.text_encoder(tok.input_ids)[0]
        latents = torch.randn(1, 4, pipe.unet.config.sample_size, pipe.unet.config.sample_size)
        pipe.scheduler.set_timesteps(3)
        noise = pipe.unet(latents, pipe.scheduler.timesteps[0], encoder_hidden_states=emb).sample
        decoded = pipe.vae.decode(latents / pipe.vae.config.scaling_factor).sample
    assert emb.shape == (1, 77, pipe.text_encoder.config.hidden_size)
    assert noise.shape == latents.shape
    assert decoded.shape == (1, 3, 64, 64)


def test_full_mode_refuses_clearly_when_not_cached(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_SAMPLE_MODE", "0")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    import huggingface_hub.constants as hub

    monkeypatch.setattr(hub, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(NotCachedError, match=f"{REPO_ID} is not cached.*hf download {REPO_ID}"):
        load_stable_diffusion(device="cpu")


def test_sample_mode_checker_flags_exactly_the_chosen_sample_images(pipe):
    from torchvision.datasets import ImageFolder
    from torchvision.transforms import Compose, Normalize, ToTensor

    from helpers.data import people_image_folder
    from helpers.renormalize import STATS
    from helpers.models.stable_diffusion import SAMPLE_FLAGGED

    images = ImageFolder(str(people_image_folder()), transform=Compose([ToTensor(), Normalize(*STATS["clip"])]))
    batch = torch.stack([images[i][0] for i in range(len(images))])
    _, flags = pipe.safety_checker(images=[x.numpy() for x in batch], clip_input=batch)
    assert [i for i, f in enumerate(flags) if f] == list(SAMPLE_FLAGGED)
    # Without CLIP's normalization the same images are not flagged: the input matters.
    raw = torch.stack([ToTensor()(images.loader(path)) for path, _ in images.samples])
    _, raw_flags = pipe.safety_checker(images=[x.numpy() for x in raw], clip_input=raw)
    assert [i for i, f in enumerate(raw_flags) if f] != list(SAMPLE_FLAGGED)
