"""The real CLIP tokenizer, rebuilt offline from the BPE vocabulary open-clip-torch ships.

Stable Diffusion v1 tokenizes prompts with CLIP's byte-level BPE (49,408 tokens). The
vocabulary and merge list are in open-clip-torch's wheel; this writes them as the
`vocab.json` + `merges.txt` pair that transformers' CLIPTokenizer reads.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

N_MERGES = 49152 - 256 - 2  # CLIP keeps this many merges of the file's list
MAX_LENGTH = 77  # CLIP's context length


def _byte_alphabet() -> list[str]:
    """Byte-level BPE's 256 base symbols, in CLIP's vocabulary order: first the bytes that
    are printable characters (as themselves, in byte order), then the other bytes, each
    stood in for by a code point from 256 upwards."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    others = [b for b in range(256) if b not in printable]
    return [chr(b) for b in printable] + [chr(256 + i) for i in range(len(others))]


def _bpe_file() -> Path:
    import open_clip

    return Path(open_clip.__file__).parent / "bpe_simple_vocab_16e6.txt.gz"


def write_clip_vocab(folder: Path) -> None:
    """Write vocab.json and merges.txt for CLIP's tokenizer into `folder`."""
    lines = gzip.open(_bpe_file(), "rt", encoding="utf-8").read().split("\n")
    merges = lines[1:N_MERGES + 1]  # line 0 is the file's own header
    alphabet = _byte_alphabet()
    tokens = alphabet + [c + "</w>" for c in alphabet] + ["".join(m.split()) for m in merges]
    tokens += ["<|startoftext|>", "<|endoftext|>"]
    (folder / "vocab.json").write_text(json.dumps({tok: i for i, tok in enumerate(tokens)}), encoding="utf-8")
    # The tokenizers library skips a first line that starts with "#version".
    (folder / "merges.txt").write_text("\n".join(["#version: 0.2", *merges]) + "\n", encoding="utf-8")


def clip_tokenizer(folder: Path | None = None):
    """A transformers CLIPTokenizer with CLIP's full 49,408-token vocabulary, built offline
    (from the files in `folder`, written by `write_clip_vocab`; default: built once in the cache)."""
    from transformers import CLIPTokenizer

    from helpers.data.cache import built_once

    folder = built_once("clip_tokenizer", write_clip_vocab) if folder is None else folder
    tokenizer = CLIPTokenizer.from_pretrained(str(folder), model_max_length=MAX_LENGTH)
    if len(tokenizer) != 49408:
        raise RuntimeError(f"CLIP tokenizer rebuilt from {folder} has {len(tokenizer)} tokens, not 49,408")
    return tokenizer
