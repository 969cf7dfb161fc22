"""Instructors only: build the sample-mode SimCLR weights that ship with hw3_simclr.

    .venv/bin/python tests/assignments/hw3_simclr/pretrain.py pretrain [--epochs 60]
    .venv/bin/python tests/assignments/hw3_simclr/pretrain.py measure [--seeds 0 1 2 3 4]

`pretrain` trains the small sample-mode encoder (`helpers.simclr.model.small_simclr`) with
the reference solution of `source/hw3_simclr/hw3_simclr.ipynb` itself (its transform, pair
dataset, loss and training step, executed from the notebook's solution cells) on the
coloured MNIST digits, with the augmentation settings of the notebook's setup cell, and
writes `source/hw3_simclr/simclr_small_encoder.pt`. Everything is seeded and runs on one
CPU thread, so the same command on the same versions of torch and torchvision writes the
same weights. Regenerate the release afterwards (`python -m autograder release hw3_simclr`).

`measure` repeats the notebook's last two steps (one more epoch of training with the
reference solution, then the linear probe of the SimCLR encoder and of a random one) for
several seeds and prints the top-1 accuracies, from which the notebook's threshold and
margin are chosen. This file lives with the tests so that students never see it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "source" / "hw3_simclr" / "hw3_simclr.ipynb"
REFERENCE_CELLS = ("simclr_setup", "train_transform", "pair_dataset", "sim", "sim_positive_pairs", "sim_matrix",
                   "loss_vectorized", "train_step")
SEED = 0
BATCH, LR, TEMPERATURE = 128, 2e-3, 0.5


def reference_namespace() -> dict:
    """The notebook's setup cell and reference answers, executed in sample mode."""
    os.environ["COURSE_SAMPLE_MODE"] = "1"
    sys.path.insert(0, str(ROOT))
    from autograder.testing import grade_id, reference_submission

    cells = {grade_id(c): c.source for c in reference_submission(NOTEBOOK).cells if grade_id(c)}
    namespace: dict = {}
    for name in REFERENCE_CELLS:
        exec(compile(cells[name], f"<{name}>", "exec"), namespace)
    return namespace


def pretrain(epochs: int, probe_every: int, out: Path) -> None:
    import torch

    from helpers.data import load
    from helpers.simclr.finetune import evaluate_encoder
    from helpers.simclr.model import small_simclr

    ns = reference_namespace()
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    data = load("cifar10")
    torch.manual_seed(SEED)
    model = small_simclr()
    transform = ns["compute_train_transform"](seed=SEED, hflip=ns["HFLIP"], scale=ns["CROP_SCALE"])
    pairs = ns["PairDataset"](data.train_images, data.train_labels, transform)
    loader = torch.utils.data.DataLoader(pairs, batch_size=BATCH, shuffle=True, drop_last=True,
                                         generator=torch.Generator().manual_seed(SEED))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=1e-6)
    print(f"pretraining on {data} for {epochs} epochs (hflip={ns['HFLIP']}, crop scale {ns['CROP_SCALE']})")
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        loss = ns["train"](model, loader, optimizer, temperature=TEMPERATURE, device="cpu")
        line = f"epoch {epoch:3d}: loss {loss:.4f} ({time.perf_counter() - start:.0f} s)"
        if probe_every and epoch % probe_every == 0:
            with torch.random.fork_rng(devices=[]):  # probing must not change the training's random draws
                line += f", linear probe top-1 {evaluate_encoder(model, data, seed=0).best:.1f} %"
        print(line, flush=True)
    torch.save({k: v.contiguous() for k, v in model.state_dict().items()}, out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")


def measure(seeds: list[int], weights: Path) -> None:
    import torch

    from helpers.data import load
    from helpers.simclr.finetune import evaluate_encoder
    from helpers.simclr.model import random_simclr, sample_simclr

    ns = reference_namespace()
    torch.set_num_threads(1)
    data = load("cifar10")
    rows = []
    for seed in seeds:
        torch.manual_seed(seed)
        transform = ns["compute_train_transform"](seed=seed, hflip=ns["HFLIP"], scale=ns["CROP_SCALE"])
        loader = torch.utils.data.DataLoader(ns["PairDataset"](data.train_images, data.train_labels, transform),
                                             batch_size=128, shuffle=True, drop_last=True,
                                             generator=torch.Generator().manual_seed(seed))
        model = sample_simclr(weights, device="cpu")
        shipped = evaluate_encoder(model, data, seed=seed).best
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-6)
        ns["train"](model, loader, optimizer, temperature=0.5, device="cpu")
        trained = evaluate_encoder(model, data, seed=seed).best
        baseline = evaluate_encoder(random_simclr(seed=seed, device="cpu"), data, seed=seed).best
        rows.append((seed, shipped, trained, baseline))
        print(f"seed {seed}: shipped weights {shipped:.1f} %, after one more epoch {trained:.1f} %, "
              f"random encoder {baseline:.1f} %, lead {trained - baseline:.1f} points", flush=True)
    trained, leads = [r[2] for r in rows], [r[2] - r[3] for r in rows]
    print(f"after one more epoch: min {min(trained):.1f} %, max {max(trained):.1f} %; "
          f"lead over random: min {min(leads):.1f}, max {max(leads):.1f} points")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="verb", required=True)
    p = sub.add_parser("pretrain")
    p.add_argument("--epochs", type=int, default=60)
    p.add_argument("--probe-every", type=int, default=10, help="print the linear-probe accuracy every N epochs")
    p.add_argument("--out", type=Path, default=NOTEBOOK.parent / "simclr_small_encoder.pt")
    m = sub.add_parser("measure")
    m.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    m.add_argument("--weights", type=Path, default=NOTEBOOK.parent / "simclr_small_encoder.pt")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if args.verb == "pretrain":
        pretrain(args.epochs, args.probe_every, args.out)
    else:
        measure(args.seeds, args.weights)


if __name__ == "__main__":
    main()
