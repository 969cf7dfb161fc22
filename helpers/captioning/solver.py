"""Training loops for the captioning models: one for numpy models, one for PyTorch ones.

Both sample random minibatches of training captions, take one optimizer step per batch,
record the loss of every step in `loss_history`, and print progress every `print_every`
steps. An epoch is as many steps as it takes to see `num_train` captions once.
"""

from __future__ import annotations

from helpers.captioning.coco import sample_coco_minibatch
from helpers.captioning.layout import NULL
from helpers.captioning.optim import RULES


class _MinibatchLoop:
    """The loop both solvers share: `num_epochs` epochs of `step()`, progress every
    `print_every` steps, `end_of_epoch()` after each epoch."""

    data: dict
    batch_size: int
    num_epochs: int
    print_every: int
    verbose: bool
    loss_history: list[float]

    def step(self) -> float:
        raise NotImplementedError

    def end_of_epoch(self) -> None:
        pass

    def train(self) -> list[float]:
        per_epoch = max(self.data["train_captions"].shape[0] // self.batch_size, 1)
        total = self.num_epochs * per_epoch
        for it in range(total):
            loss = self.step()
            if self.verbose and it % self.print_every == 0:
                print(f"(Iteration {it + 1} / {total}) loss: {loss:f}")
            if (it + 1) % per_epoch == 0:
                self.end_of_epoch()
        return self.loss_history


class CaptioningSolver(_MinibatchLoop):
    """Train a numpy captioning model: `model.params` (name -> array) and
    `model.loss(features, captions) -> (loss, grads)` with the same names in `grads`."""

    def __init__(self, model, data: dict, update_rule: str = "sgd", optim_config: dict | None = None,
                 lr_decay: float = 1.0, batch_size: int = 100, num_epochs: int = 10,
                 print_every: int = 10, verbose: bool = True):
        if update_rule not in RULES:
            raise ValueError(f"unknown update_rule {update_rule!r}: choose one of {', '.join(RULES)}")
        self.model, self.data = model, data
        self.update_rule = RULES[update_rule]
        self.optim_config = dict(optim_config or {})
        self.lr_decay, self.batch_size, self.num_epochs = lr_decay, batch_size, num_epochs
        self.print_every, self.verbose = print_every, verbose
        self.loss_history: list[float] = []
        self.configs = {name: dict(self.optim_config) for name in model.params}

    def step(self) -> float:
        captions, features, _ = sample_coco_minibatch(self.data, self.batch_size, "train")
        loss, grads = self.model.loss(features, captions)
        for name, value in self.model.params.items():
            self.model.params[name], self.configs[name] = self.update_rule(value, grads[name], self.configs[name])
        self.loss_history.append(float(loss))
        return float(loss)

    def end_of_epoch(self) -> None:
        for config in self.configs.values():
            config["learning_rate"] = config.get("learning_rate", 1e-2) * self.lr_decay


class TransformerSolver(_MinibatchLoop):
    """Train a PyTorch captioning model `model(features, captions_in) -> scores (N, T, V)`
    with Adam on the cross-entropy of the next word, padding (<NULL>) left out."""

    def __init__(self, model, data: dict, learning_rate: float = 1e-3,
                 batch_size: int = 100, num_epochs: int = 10, print_every: int = 10, verbose: bool = True,
                 device=None):
        import torch

        self.model, self.data = model, data
        self.null = data["word_to_idx"][NULL]
        self.device = device or next(model.parameters()).device
        self.optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
        self.batch_size, self.num_epochs = batch_size, num_epochs
        self.print_every, self.verbose = print_every, verbose
        self.loss_history: list[float] = []

    def step(self) -> float:
        import torch
        import torch.nn.functional as F

        captions, features, _ = sample_coco_minibatch(self.data, self.batch_size, "train")
        dtype = next(self.model.parameters()).dtype
        features = torch.as_tensor(features, dtype=dtype, device=self.device)
        captions = torch.as_tensor(captions, dtype=torch.long, device=self.device)
        scores = self.model(features, captions[:, :-1])
        loss = F.cross_entropy(scores.reshape(-1, scores.shape[-1]), captions[:, 1:].reshape(-1),
                               ignore_index=self.null)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.loss_history.append(loss.item())
        return loss.item()

    def train(self) -> list[float]:
        """Train (dropout on), then leave the model in eval mode for sampling."""
        self.model.train()
        try:
            return super().train()
        finally:
            self.model.eval()
