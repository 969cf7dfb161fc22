"""Stand-ins the grader of hw1_backprop runs students' code on: none is a correct answer.

A hidden test of code that *uses* a layer (the network, the training loop, the gradient
norms) runs it twice: once with the student's own layers, and once with these stand-ins
put in their place. Each stand-in is a deterministic `torch.autograd.Function` with its
own exact backward pass, but deliberately a different function from the layer it stands
in for, so using one as an answer loses that exercise's points:

* `ShiftedLinear`: x @ weight.T - bias (the bias subtracted);
* `LeakyReLU`: x where x > 0, else 0.1 x;
* `SineSquash`: (1 + sin x) / 2, a squashing function that is not the sigmoid;
* `SmoothedCrossEntropy`: cross-entropy against targets smoothed by 0.1, batch mean.

`standin_logits` is the two-layer network made of them, and `standin_predictions` its
class predictions without autograd (what the grader uses on weights trained with them).
`ForwardScalar` carries a number and its derivatives forward through the same operations
as the homework's `Value` (forward mode: no graph, no backward()), so a student's
expression can be differentiated without the student's own `Value`.
"""

from __future__ import annotations

import math

import torch

LEAK = 0.1  # LeakyReLU's slope for negative inputs
SMOOTHING = 0.1  # SmoothedCrossEntropy's share of the target spread over all classes


class ShiftedLinear(torch.autograd.Function):
    """x @ weight.T - bias."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return x @ weight.T - bias

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        return grad_output @ weight, grad_output.T @ x, -grad_output.sum(dim=0)


class LeakyReLU(torch.autograd.Function):
    """x where x > 0, LEAK * x elsewhere."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x > 0, x, LEAK * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, grad_output, LEAK * grad_output)


class SineSquash(torch.autograd.Function):
    """(1 + sin x) / 2: between 0 and 1 like the sigmoid, but another function."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 + 0.5 * torch.sin(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 0.5 * torch.cos(x)


class SmoothedCrossEntropy(torch.autograd.Function):
    """Mean over the batch of the cross-entropy against (1 - SMOOTHING) one-hot + SMOOTHING / C."""

    @staticmethod
    def forward(ctx, logits, targets):
        log_p = torch.log_softmax(logits, dim=1)
        spread = torch.full_like(log_p, SMOOTHING / logits.shape[1])
        spread[torch.arange(len(targets), device=logits.device), targets] += 1 - SMOOTHING
        ctx.save_for_backward(log_p.exp(), spread)
        return -(spread * log_p).sum(dim=1).mean()

    @staticmethod
    def backward(ctx, grad_output):
        p, spread = ctx.saved_tensors
        return grad_output * (p - spread) / p.shape[0], None


def standin_logits(params, x):
    """The two-layer network built from the stand-ins."""
    hidden = LeakyReLU.apply(ShiftedLinear.apply(x, params["W1"], params["b1"]))
    return ShiftedLinear.apply(hidden, params["W2"], params["b2"])


def standin_predictions(params, x):
    """Class predictions of `standin_logits` (no autograd): the largest logit of each row."""
    with torch.no_grad():
        z = x @ params["W1"].T - params["b1"]
        z = torch.where(z > 0, z, LEAK * z)
        return (z @ params["W2"].T - params["b2"]).argmax(dim=1)


class ForwardScalar:
    """A number with its derivatives with respect to a few inputs, pushed forward through
    +, *, ** (a plain-number exponent), tanh(), relu(), exp() and the conveniences."""

    def __init__(self, value, slopes):
        self.value = float(value)
        self.slopes = tuple(float(s) for s in slopes)

    @classmethod
    def inputs(cls, *values):
        """One ForwardScalar per value, each with slope 1 for itself and 0 for the others."""
        n = len(values)
        return [cls(v, [1.0 if i == k else 0.0 for i in range(n)]) for k, v in enumerate(values)]

    def _other(self, x):
        return x if isinstance(x, ForwardScalar) else ForwardScalar(x, [0.0] * len(self.slopes))

    def _chain(self, value, factor):
        return ForwardScalar(value, [factor * s for s in self.slopes])

    def __add__(self, other):
        other = self._other(other)
        return ForwardScalar(self.value + other.value, [s + t for s, t in zip(self.slopes, other.slopes)])

    def __mul__(self, other):
        other = self._other(other)
        return ForwardScalar(self.value * other.value,
                             [other.value * s + self.value * t for s, t in zip(self.slopes, other.slopes)])

    def __pow__(self, k):
        if isinstance(k, ForwardScalar):
            raise TypeError("the exponent should be a plain number")
        return self._chain(self.value ** k, k * self.value ** (k - 1))

    def tanh(self):
        t = math.tanh(self.value)
        return self._chain(t, 1.0 - t * t)

    def relu(self):
        return self._chain(max(self.value, 0.0), 1.0 if self.value > 0 else 0.0)

    def exp(self):
        e = math.exp(self.value)
        return self._chain(e, e)

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-self._other(other))

    def __rsub__(self, other):
        return self._other(other) + (-self)

    def __truediv__(self, other):
        return self * self._other(other) ** -1

    def __rtruediv__(self, other):
        return self._other(other) * self ** -1
