"""Stand-ins for the Transformer notebook's hidden tests (see `helpers.captioning.standins`):
neither is a correct answer.

* `SharpAttention`: multi-head attention whose scores are divided by E/h instead of its
  square root, masks respected, with the same four linear layers as the exercise's class;
* `ShiftedPositions`: adds sin(0.5 (i + 1) + j) at position i, dimension j (not the
  sinusoidal table, and not zero at position 0), then dropout.
"""

from __future__ import annotations

import torch
from torch import nn


class SharpAttention(nn.Module):
    """Multi-head attention with scores divided by E/h (not its square root); `attn_mask`
    (S, T) is true where a query may look at a key."""

    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        self.key = nn.Linear(embed_dim, embed_dim)
        self.query = nn.Linear(embed_dim, embed_dim)
        self.value = nn.Linear(embed_dim, embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)
        self.attn_drop = nn.Dropout(dropout)
        self.n_head, self.head_dim = num_heads, embed_dim // num_heads

    def forward(self, query, key, value, attn_mask=None):
        N, S, E = query.shape
        T = value.shape[1]
        H, d = self.n_head, self.head_dim
        q = self.query(query).view(N, S, H, d).transpose(1, 2)
        k = self.key(key).view(N, T, H, d).transpose(1, 2)
        v = self.value(value).view(N, T, H, d).transpose(1, 2)
        scores = q @ k.transpose(-2, -1) / d
        if attn_mask is not None:
            scores = scores.masked_fill(~attn_mask.bool(), float("-inf"))
        weights = self.attn_drop(torch.softmax(scores, dim=-1))
        return self.proj((weights @ v).transpose(1, 2).reshape(N, S, E))


class ShiftedPositions(nn.Module):
    """Adds sin(0.5 (i + 1) + j) at position i and dimension j, then dropout."""

    def __init__(self, embed_dim, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        i = torch.arange(max_len, dtype=torch.float64)[:, None]
        j = torch.arange(embed_dim, dtype=torch.float64)[None, :]
        self.register_buffer("pe", torch.sin(0.5 * (i + 1) + j)[None].float())

    def forward(self, x):
        return self.dropout(x + self.pe[:, :x.shape[1]].to(x.dtype))


__all__ = ["SharpAttention", "ShiftedPositions"]
