"""Other correct answers to hw1_backprop, each written in a style unlike the reference: all full marks."""

from __future__ import annotations

from seeded import alternative_maker

_alt = alternative_maker("hw1_backprop")

ALTERNATIVES = [
    # Each node keeps a closure that pushes its gradient to its parents; the graph is
    # ordered without recursion (Kahn's algorithm on the number of unprocessed consumers).
    _alt("value_with_closures_and_kahn", "value_class", '''
class Value:
    """A scalar node of a computation graph; backward() runs reverse-mode differentiation."""

    def __init__(self, data, parents=(), push=None):
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)
        self._push = push or (lambda: None)  # adds this node's contributions to its parents

    def __repr__(self):
        return f"Value({self.data!r}, grad={self.grad!r})"

    @staticmethod
    def lift(x):
        return x if isinstance(x, Value) else Value(x)

    def _unary(self, value, derivative):
        out = Value(value, (self,))

        def push():
            self.grad += derivative * out.grad
        out._push = push
        return out

    def __add__(self, other):
        other = Value.lift(other)
        out = Value(self.data + other.data, (self, other))

        def push():
            self.grad += out.grad
            other.grad += out.grad
        out._push = push
        return out

    def __mul__(self, other):
        other = Value.lift(other)
        out = Value(self.data * other.data, (self, other))

        def push():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._push = push
        return out

    def __pow__(self, k):
        return self._unary(self.data ** k, k * self.data ** (k - 1))

    def tanh(self):
        y = math.tanh(self.data)
        return self._unary(y, 1 - y ** 2)

    def relu(self):
        return self._unary(self.data if self.data > 0 else 0.0, float(self.data > 0))

    def exp(self):
        y = math.exp(self.data)
        return self._unary(y, y)

    def backward(self):
        consumers, stack, known = {}, [self], {id(self): self}
        while stack:  # count, for every node, how many nodes use it
            node = stack.pop()
            for p in node.parents:
                consumers[id(p)] = consumers.get(id(p), 0) + 1
                if id(p) not in known:
                    known[id(p)] = p
                    stack.append(p)
        self.grad = 1.0
        ready = [self]
        while ready:  # a node is ready once every node that uses it has pushed
            node = ready.pop()
            node._push()
            for p in node.parents:
                consumers[id(p)] -= 1
                if consumers[id(p)] == 0:
                    ready.append(p)

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-Value.lift(other))

    def __rsub__(self, other):
        return Value.lift(other) + (-self)

    def __truediv__(self, other):
        return self * Value.lift(other) ** -1

    def __rtruediv__(self, other):
        return Value.lift(other) * self ** -1
'''),
    _alt("expression_with_conveniences", "my_expression", '''
def my_expression(a, b, c):
    s = a + b
    return (s * s).tanh() / (1 + c) - (b - c).relu() * s + (a / 2).exp()
'''),
    # addmm and einsum, and gradients only for the inputs that need them.
    _alt("linear_addmm_einsum", "linear_function", '''
class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        return torch.addmm(bias, x, weight.t())

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        grad_x = torch.einsum("no,oi->ni", grad_output, weight) if need_x else None
        grad_w = torch.einsum("no,ni->oi", grad_output, x) if need_w else None
        grad_b = torch.einsum("no->o", grad_output) if need_b else None
        return grad_x, grad_w, grad_b
'''),
    # The newer style: forward without ctx, and setup_context saving what backward needs.
    _alt("linear_setup_context", "linear_function", '''
class LinearFunction(torch.autograd.Function):
    @staticmethod
    def forward(x, weight, bias):
        return torch.nn.functional.linear(x, weight, bias)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, weight, _ = inputs
        ctx.save_for_backward(x, weight)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        return grad_output.mm(weight), grad_output.t().mm(x), grad_output.sum(0)
'''),
    _alt("relu_where_and_mask", "relu_function", '''
class ReLUFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        positive = x > 0
        ctx.save_for_backward(positive)
        return torch.where(positive, x, torch.zeros_like(x))

    @staticmethod
    def backward(ctx, grad_output):
        (positive,) = ctx.saved_tensors
        return torch.where(positive, grad_output, torch.zeros_like(grad_output))
'''),
    _alt("sigmoid_through_tanh", "sigmoid_function", '''
class SigmoidFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = 0.5 * torch.tanh(0.5 * x) + 0.5  # sigma(x) = (1 + tanh(x / 2)) / 2, bounded everywhere
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (out - out * out)
'''),
    # exp(-|x|) never overflows; the two branches of the sigmoid picked with torch.where.
    _alt("sigmoid_two_branches", "sigmoid_function", '''
class SigmoidFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        small = torch.exp(-x.abs())
        s = torch.where(x >= 0, 1 / (1 + small), small / (1 + small))
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        (s,) = ctx.saved_tensors
        return grad_output * s * (1 - s)
'''),
    # logsumexp and one_hot; the softmax is recomputed from the saved logits.
    _alt("ce_logsumexp_one_hot", "softmax_ce_function", '''
class SoftmaxCrossEntropy(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, targets):
        ctx.save_for_backward(logits, targets)
        picked = logits.gather(1, targets[:, None]).squeeze(1)
        return (torch.logsumexp(logits, dim=1) - picked).sum() / logits.shape[0]

    @staticmethod
    def backward(ctx, grad_output):
        logits, targets = ctx.saved_tensors
        onehot = torch.nn.functional.one_hot(targets, logits.shape[1]).to(logits.dtype)
        grad_logits = (torch.softmax(logits, dim=1) - onehot) * (grad_output / logits.shape[0])
        return grad_logits, None
'''),
    _alt("network_as_a_loop", "two_layer", '''
def two_layer_logits(params, x):
    h = x
    for k in (1, 2):
        h = LinearFunction.apply(h, params[f"W{k}"], params[f"b{k}"])
        if k == 1:
            h = ReLUFunction.apply(h)
    return h
'''),
    # Shuffled epochs from the global generator, gradients from autograd.grad, sub_ updates.
    _alt("training_by_epochs", "train", '''
def train_two_layer(x, y, seed=0, steps=1500, batch_size=64, lr=0.1, hidden=100):
    torch.manual_seed(seed)
    params = init_two_layer(x.shape[1], hidden, 10, torch.default_generator)
    names = list(params)
    step = 0
    while step < steps:
        order = torch.randperm(len(x))
        for start in range(0, len(x) - batch_size + 1, batch_size):
            if step == steps:
                break
            rows = order[start:start + batch_size]
            loss = SoftmaxCrossEntropy.apply(two_layer_logits(params, x[rows]), y[rows])
            grads = torch.autograd.grad(loss, [params[n] for n in names])
            with torch.no_grad():
                for n, g in zip(names, grads):
                    params[n].sub_(lr * g)
            step += 1
    return params


start = time.perf_counter()
trained = train_two_layer(train_x, train_y, seed=0)
test_accuracy = accuracy(trained, test_x, test_y)
print(f"{time.perf_counter() - start:.1f} s, test accuracy {test_accuracy:.1%}")
'''),
    # backward() with the old gradients cleared first, and the activation looked up by name.
    _alt("norms_by_backward", "gradient_norms", '''
def gradient_norms(layers, x, y, activation="sigmoid"):
    nonlinearity = {"relu": ReLUFunction.apply, "sigmoid": SigmoidFunction.apply}[activation]
    *hidden, (w_out, b_out) = layers
    h = x
    for w, b in hidden:
        h = nonlinearity(LinearFunction.apply(h, w, b))
    for w, b in layers:
        w.grad = None
    SoftmaxCrossEntropy.apply(LinearFunction.apply(h, w_out, b_out), y).backward()
    return [float(torch.linalg.norm(w.grad)) for w, _ in layers]
'''),
]
