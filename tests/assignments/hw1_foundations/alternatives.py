"""Alternative correct answers for hw1_foundations, each in a style unlike the reference."""
from seeded import alternative_maker

alt = alternative_maker("hw1_foundations")

ALTERNATIVES = [
    # ---------------------------------------------------------------- Exercise 1: knn
    alt("knn_einsum_negated_topk", "knn", '''
def knn(D, X, k=2):
    \'\'\'The k members of D nearest to each row of X: (distances, indices), shapes (t, k).\'\'\'
    # Adapted from a batched k-NN answer by Piotr Bialecki ("ptrblck") on the PyTorch
    # discussion forums (discuss.pytorch.org); full citation in Question 1.2.
    # Worked alone.
    diff = X.unsqueeze(1) - D.unsqueeze(0)                    # (t, N, dim)
    dist = torch.einsum("tnd,tnd->tn", diff, diff).sqrt()     # (t, N) Euclidean distances
    neg_values, idx = (-dist).topk(k, dim=1)                  # largest of -dist = smallest of dist
    return -neg_values, idx
'''),
    alt("knn_float64_vector_norm", "knn", '''
def knn(D, X, k=2):
    \'\'\'The k members of D nearest to each row of X: (distances, indices), shapes (t, k).\'\'\'
    # Idea from Piotr Bialecki (ptrblck), PyTorch discussion forums, batched k-NN with
    # broadcasting and topk; see Question 1.2 for the thread, date and link.
    queries = X.to(torch.float64)[:, None, :]                 # (t, 1, dim)
    points = D.to(torch.float64)[None, :, :]                  # (1, N, dim)
    dist = torch.linalg.vector_norm(queries - points, ord=2, dim=-1)   # (t, N), in float64
    best = torch.topk(dist, k, dim=-1, largest=False, sorted=True)
    return (best.values.to(X.dtype), best.indices)
'''),
    alt("knn_cdist_exact", "knn", '''
def knn(D, X, k=2):
    \'\'\'The k members of D nearest to each row of X: (distances, indices), shapes (t, k).\'\'\'
    # Based on Piotr Bialecki's (ptrblck) batched k-NN posts on discuss.pytorch.org
    # (citation in Question 1.2); cdist without the matmul shortcut = broadcast difference + norm.
    dist = torch.cdist(X[None], D[None], p=2.0, compute_mode="donot_use_mm_for_euclid_dist")[0]
    values, indices = dist.topk(k, largest=False)
    return values, indices
'''),

    # ---------------------------------------------------------------- Exercise 2: power rule
    alt("power_rule_horner", "power_rule", '''
def p1(x):
    \'\'\'First derivative of polynomial(x).\'\'\'
    return ((4 * x - 6) * x + 6) * x - 4          # Horner form of 4x^3 - 6x^2 + 6x - 4


def p2(x):
    \'\'\'Second derivative of polynomial(x).\'\'\'
    return (12 * x - 12) * x + 6


def p3(x):
    \'\'\'Third derivative of polynomial(x).\'\'\'
    return 24 * x - 12


def p4(x):
    \'\'\'Fourth derivative of polynomial(x).\'\'\'
    return torch.zeros_like(x) + 24
'''),
    alt("power_rule_coefficients_float64", "power_rule", '''
# Coefficients of p0, constant term first: 5 - 4x + 3x^2 - 2x^3 + x^4.
P0_COEFFS = [5.0, -4.0, 3.0, -2.0, 1.0]


def _differentiate(coeffs, times):
    \'\'\'Apply the power rule d/dx c x^n = n c x^(n-1) `times` times to a coefficient list.\'\'\'
    for _ in range(times):
        coeffs = [n * c for n, c in enumerate(coeffs)][1:]
    return coeffs


def _evaluate(coeffs, x):
    \'\'\'sum_n c_n x^n, accumulated in float64, returned in x's dtype and shape.\'\'\'
    x64 = x.to(torch.float64)
    total = torch.zeros_like(x64)
    for n, c in enumerate(coeffs):
        total = total + c * x64 ** n
    return total.to(x.dtype)


def p1(x):
    \'\'\'First derivative of polynomial(x).\'\'\'
    return _evaluate(_differentiate(P0_COEFFS, 1), x)


def p2(x):
    \'\'\'Second derivative of polynomial(x).\'\'\'
    return _evaluate(_differentiate(P0_COEFFS, 2), x)


def p3(x):
    \'\'\'Third derivative of polynomial(x).\'\'\'
    return _evaluate(_differentiate(P0_COEFFS, 3), x)


def p4(x):
    \'\'\'Fourth derivative of polynomial(x).\'\'\'
    return _evaluate(_differentiate(P0_COEFFS, 4), x)
'''),

    # ---------------------------------------------------------------- Exercise 2: autograd
    alt("autograd_recursive_grad_outputs", "autograd", '''
def derivatives(f, x, order):
    \'\'\'[f'(x), f''(x), ...] up to the given order, by repeated autograd.\'\'\'
    point = x.detach().clone().requires_grad_(True)   # the caller's x is left alone

    def chain(current, remaining):
        if remaining == 0:
            return []
        (nxt,) = torch.autograd.grad(current, point, grad_outputs=torch.ones_like(current),
                                     create_graph=True)
        return [nxt] + chain(nxt, remaining - 1)

    return chain(f(point), order)


x = torch.linspace(-2.0, 3.0, 100)
y = polynomial(x)
dy_dx, d2y_dx, d3y_dx, d4y_dx = derivatives(polynomial, x, 4)
'''),
    alt("autograd_float64_detach", "autograd", '''
def derivatives(f, x, order):
    \'\'\'[f'(x), f''(x), ...] up to the given order, by repeated autograd.\'\'\'
    # Differentiate in float64 on a detached view (x itself keeps requires_grad=False),
    # and hand each derivative back in x's dtype, still attached to the graph.
    x64 = x.detach().to(torch.float64).requires_grad_()
    result = []
    current = f(x64)
    while len(result) < order:
        current = torch.autograd.grad(current.sum(), [x64], create_graph=True)[0]
        result.append(current.to(x.dtype))
    return result


x = torch.linspace(-2.0, 3.0, 100)
y = polynomial(x)
dy_dx, d2y_dx, d3y_dx, d4y_dx = derivatives(polynomial, x, 4)
'''),

    # ---------------------------------------------------------------- Exercise 3: logic networks
    alt("logic_networks_handpicked_weights", "logic_networks", '''
logic_networks = {
    "A": Neuron({"a": 3.0, "b": 1.0}, bias=0.0),
    "B": Neuron({"a": -0.5, "b": 2.0}, bias=0.25),
    "NOT A": Neuron({"a": -1.0}, bias=0.0),
    "NOT B": Neuron({"b": -5.0}),
    "A AND B": Neuron({"a": 1.0, "b": 1.0}, bias=-1.0),
    "A OR B": Neuron({"a": 1.0, "b": 1.0}, bias=1.0),
    "A NAND B": Neuron({"a": -1.0, "b": -1.0}, bias=1.0),
    "A NOR B": Neuron({"a": -1.0, "b": -1.0}, bias=-1.0),
    "A AND NOT B": Neuron({"a": 1.0, "b": -1.0}, bias=-1.0),
    "B AND NOT A": Neuron({"a": -1.0, "b": 1.0}, bias=-1.0),
    "A OR NOT B": Neuron({"a": 1.0, "b": -1.0}, bias=1.0),
    "B OR NOT A": Neuron({"a": -1.0, "b": 1.0}, bias=1.0),
    # XOR/XNOR: a hidden AND, then a neuron that also reads a and b directly.
    "A XOR B": torch.nn.Sequential(
        Neuron({"a": 1.0, "b": 1.0}, bias=-1.5, output="both"),
        Neuron({"a": 1.0, "b": 1.0, "both": -2.0}, bias=-1.0),
    ),
    "A XNOR B": torch.nn.Sequential(
        Neuron({"a": 1.0, "b": 1.0}, bias=-1.5, output="both"),
        Neuron({"a": -1.0, "b": -1.0, "both": 2.0}, bias=1.0),
    ),
}
visualize_logic(logic_networks)
'''),
    alt("logic_networks_hebbian_sequential", "logic_networks", '''
# Outputs on (a, b) = (-1,-1), (+1,-1), (-1,+1), (+1,+1), copied from the table.
TABLE = {
    "A": [-1, 1, -1, 1], "B": [-1, -1, 1, 1], "NOT A": [1, -1, 1, -1], "NOT B": [1, 1, -1, -1],
    "A AND B": [-1, -1, -1, 1], "A OR B": [-1, 1, 1, 1], "A NAND B": [1, 1, 1, -1],
    "A NOR B": [1, -1, -1, -1], "A XOR B": [-1, 1, 1, -1], "A XNOR B": [1, -1, -1, 1],
    "A AND NOT B": [-1, 1, -1, -1], "B AND NOT A": [-1, -1, 1, -1],
    "A OR NOT B": [1, 1, -1, 1], "B OR NOT A": [1, -1, 1, 1],
}

logic_networks = {}
for _fname, _target in TABLE.items():
    _t = torch.tensor(_target, dtype=torch.float32)
    # Hebb's rule: correlate the target with each input and with the constant 1.
    _wa, _wb, _bias = (_t * INPUT_A).sum().item(), (_t * INPUT_B).sum().item(), _t.sum().item()
    if _wa == 0 and _wb == 0 and _bias == 0:
        continue  # XOR and XNOR: no single neuron (Hebb gives all zeros); built below
    logic_networks[_fname] = torch.nn.Sequential(Neuron({"a": _wa, "b": _wb}, bias=_bias))

# XOR = (B OR NOT A) fed with the hidden (A AND NOT B) signal, in two neurons.
logic_networks["A XOR B"] = torch.nn.Sequential(
    Neuron({"a": 1.0, "b": -1.0}, bias=-1.0, output="a_not_b"),
    Neuron({"a": -1.0, "b": 1.0, "a_not_b": 2.0}, bias=1.0),
)
logic_networks["A XNOR B"] = torch.nn.Sequential(
    Neuron({"a": 1.0, "b": -1.0}, bias=-1.0, output="a_not_b"),
    Neuron({"a": 1.0, "b": -1.0, "a_not_b": -2.0}, bias=-1.0),
)
visualize_logic(logic_networks)
'''),

    # ---------------------------------------------------------------- Exercise 3: answers
    alt("mp_answers_typed_set", "mp_answers", '''
single_neuron_count = 12
needs_more_neurons = {"A XOR B", "A XNOR B"}
'''),
    alt("mp_answers_brute_force_search", "mp_answers", '''
import itertools

# Which of the 14 truth tables can one neuron sign(wa*a + wb*b + bias) produce with
# outputs exactly +-1?  Small integer weights suffice for two inputs; search them all.
_tables = {
    "A": (-1, 1, -1, 1), "B": (-1, -1, 1, 1), "NOT A": (1, -1, 1, -1), "NOT B": (1, 1, -1, -1),
    "A AND B": (-1, -1, -1, 1), "A OR B": (-1, 1, 1, 1), "A NAND B": (1, 1, 1, -1),
    "A NOR B": (1, -1, -1, -1), "A XOR B": (-1, 1, 1, -1), "A XNOR B": (1, -1, -1, 1),
    "A AND NOT B": (-1, 1, -1, -1), "B AND NOT A": (-1, -1, 1, -1),
    "A OR NOT B": (1, 1, -1, 1), "B OR NOT A": (1, -1, 1, 1),
}
_reachable = set()
for _wa, _wb, _bias in itertools.product(range(-3, 4), repeat=3):
    _out = tuple(int(torch.sign(torch.tensor(_wa * a + _wb * b + _bias, dtype=torch.float32)))
                 for a, b in zip(INPUT_A.tolist(), INPUT_B.tolist()))
    if 0 not in _out:
        _reachable.add(_out)

single_neuron_count = sum(1 for table in _tables.values() if table in _reachable)
needs_more_neurons = [name for name, table in _tables.items() if table not in _reachable]
print(single_neuron_count, needs_more_neurons)
'''),

    # ---------------------------------------------------------------- Exercise 4: softmax grads
    alt("softmax_grads_explicit_entries", "softmax_grads", '''
def softmax_jacobian(p):
    \'\'\'The 2x2 Jacobian d p_i / d z_j of a two-class softmax, from its output p = (p1, p2).\'\'\'
    p1, p2 = p[0], p[1]
    off = -p1 * p2
    return torch.stack([torch.stack([p1 * (1 - p1), off]),
                        torch.stack([off, p2 * (1 - p2)])])


def ce_grad_z1(p1, y1):
    \'\'\'d CE(y; softmax(z)) / d z1 for two classes, from p1 and y1.\'\'\'
    # -y1 (1 - p1) + (1 - y1) p1, which simplifies to p1 - y1
    return p1 * (1 - y1) - y1 * (1 - p1)


def mse_grad_z1(p1, y1):
    \'\'\'d MSE(y, softmax(z)) / d z1 for two classes, from p1 and y1.\'\'\'
    # chain rule over both paths: dL/dp1 * dp1/dz1 + dL/dp2 * dp2/dz1
    p2, y2 = 1 - p1, 1 - y1
    dL_dp1, dL_dp2 = -2 * (y1 - p1), -2 * (y2 - p2)
    dp1_dz1, dp2_dz1 = p1 * p2, -p1 * p2
    return dL_dp1 * dp1_dz1 + dL_dp2 * dp2_dz1
'''),
    alt("softmax_grads_diag_outer", "softmax_grads", '''
def softmax_jacobian(p):
    \'\'\'The 2x2 Jacobian d p_i / d z_j of a two-class softmax, from its output p = (p1, p2).\'\'\'
    # J = diag(p) - p p^T; also works for a batch of distributions along the last axis.
    return torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)


def ce_grad_z1(p1, y1):
    \'\'\'d CE(y; softmax(z)) / d z1 for two classes, from p1 and y1.\'\'\'
    return torch.sub(p1, y1)


def mse_grad_z1(p1, y1):
    \'\'\'d MSE(y, softmax(z)) / d z1 for two classes, from p1 and y1.\'\'\'
    return 4.0 * (p1 - y1) * p1 * (1.0 - p1)
'''),

    # ---------------------------------------------------------------- Exercise 5: module census
    alt("module_census_loop_counters", "module_census", '''
def module_census(pipe):
    \'\'\'{name: {"type": class name, "modules": int, "tensors": int, "scalars": int}}
    for each component of the pipeline that is a torch.nn.Module.\'\'\'
    table = {}
    for name, component in pipe.components.items():
        if not isinstance(component, torch.nn.Module):
            continue
        modules = 0
        for _ in component.modules():
            modules += 1
        tensors = scalars = 0
        for parameter in component.parameters():
            tensors += 1
            scalars += parameter.numel()
        table[name] = {"type": component.__class__.__name__, "modules": modules,
                       "tensors": tensors, "scalars": scalars}
    return table


census = module_census(pipe)
print(f"{'component':18} {'type':30} {'modules':>8} {'tensors':>8} {'scalars':>14}")
for name, row in census.items():
    print(f"{name:18} {row['type']:30} {row['modules']:8,} {row['tensors']:8,} {row['scalars']:14,}")
'''),
    alt("module_census_named_dicts_sorted", "module_census", '''
import math


def module_census(pipe):
    \'\'\'{name: {"type": class name, "modules": int, "tensors": int, "scalars": int}}
    for each component of the pipeline that is a torch.nn.Module.\'\'\'
    networks = {name: c for name, c in sorted(pipe.components.items()) if isinstance(c, torch.nn.Module)}
    result = {}
    for name, net in networks.items():
        params = dict(net.named_parameters())
        result[name] = dict(
            type=type(net).__name__,
            modules=len(dict(net.named_modules())),
            tensors=len(params),
            scalars=int(sum(math.prod(p.shape) for p in params.values())),
        )
    return result


census = module_census(pipe)
print(f"{'component':18} {'type':30} {'modules':>8} {'tensors':>8} {'scalars':>14}")
for name, row in census.items():
    print(f"{name:18} {row['type']:30} {row['modules']:8,} {row['tensors']:8,} {row['scalars']:14,}")
'''),

    # ---------------------------------------------------------------- Exercise 5: tensor facts
    alt("tensor_facts_describe_loop", "tensor_facts", '''
def describe(tensor, dims):
    return {"dtype": tensor.dtype, "shape": tuple(tensor.shape), "numel": tensor.numel(), "dims": tuple(dims)}


tensor_facts = {}
_roles = {
    "text_tokens": (text_tokens, ["batch", "sequence"]),
    "text_vectors": (text_vectors, ["batch", "sequence", "feature"]),
    "image_vectors": (image_vectors, ["batch", "channel", "height", "width"]),
    "rgb_vectors": (rgb_vectors, ["batch", "channel", "height", "width"]),
}
for _tname, (_tensor, _dims) in _roles.items():
    tensor_facts[_tname] = describe(_tensor, _dims)
for _name, _facts in tensor_facts.items():
    print(f"{_name:14} {_facts}")
'''),
    alt("tensor_facts_by_hand_torch_size", "tensor_facts", '''
import math


def describe(tensor, dims):
    return {"dtype": tensor.dtype, "shape": tuple(tensor.shape), "numel": tensor.numel(), "dims": tuple(dims)}


tensor_facts = {}
_image_dims = ("batch", "channel", "height", "width")
for _tname, _t, _dims in [("text_tokens", text_tokens, ("batch", "sequence")),
                          ("text_vectors", text_vectors, ("batch", "sequence", "feature")),
                          ("image_vectors", image_vectors, _image_dims),
                          ("rgb_vectors", rgb_vectors, _image_dims)]:
    # torch.Size is a subclass of tuple, so it is kept as is
    tensor_facts[_tname] = {"dtype": _t.dtype, "shape": _t.size(), "numel": math.prod(_t.size()),
                            "dims": _dims}
for _name, _facts in tensor_facts.items():
    print(f"{_name:14} {_facts}")
'''),

    # ---------------------------------------------------------------- Exercise 6: find flagged
    alt("find_flagged_offset_counter", "find_flagged", '''
def find_flagged(pipe, root, batch_size=10):
    \'\'\'Dataset indices of the images under `root` that pipe.safety_checker flags.\'\'\'
    checker = pipe.safety_checker
    reference = next(checker.parameters())              # where and in what dtype the checker runs
    dataset = ImageFolder(root, transform=Compose([ToTensor(), Normalize(CLIP_MEAN, CLIP_STD)]))
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    hits, start = [], 0
    with torch.no_grad():
        for batch, _labels in loader:
            _, has_nsfw = checker(images=[x.numpy() for x in batch],
                                  clip_input=batch.to(device=reference.device, dtype=reference.dtype))
            hits.extend(start + j for j, bad in enumerate(has_nsfw) if bad)
            start += len(batch)
    return sorted(hits)


flagged = find_flagged(pipe, people_root)
print("flagged images:", flagged)
_pictures = ImageFolder(people_root)
show(show.WRAP, [[show.style(width=170), _pictures[i][0], f"image {i}"] for i in flagged])
'''),
    alt("find_flagged_batch_sampler_manual_transform", "find_flagged", '''
import numpy as np


def _clip_tensor(image):
    \'\'\'PIL image -> (3, H, W) float32 tensor in [0, 1], then normalized with CLIP's statistics.\'\'\'
    pixels = torch.from_numpy(np.array(image.convert("RGB"), dtype=np.uint8)).permute(2, 0, 1)
    scaled = pixels.float().div(255)
    mean = torch.tensor(CLIP_MEAN).view(3, 1, 1)
    std = torch.tensor(CLIP_STD).view(3, 1, 1)
    return (scaled - mean) / std


def find_flagged(pipe, root, batch_size=10):
    \'\'\'Dataset indices of the images under `root` that pipe.safety_checker flags.\'\'\'
    dataset = ImageFolder(str(root), transform=_clip_tensor)
    loader = DataLoader(dataset, batch_size=batch_size)
    found = set()
    with torch.inference_mode():
        # the loader's batch sampler yields the dataset indices of each batch, in order
        for indices, (batch, _) in zip(loader.batch_sampler, loader):
            clip_input = batch.to(pipe.safety_checker.device, pipe.safety_checker.dtype)
            _, has_nsfw_concept = pipe.safety_checker(images=[x.numpy() for x in batch], clip_input=clip_input)
            found.update(int(i) for i, bad in zip(indices, has_nsfw_concept) if bad)
    return sorted(found)


flagged = find_flagged(pipe, people_root)
print("flagged images:", flagged)
_pictures = ImageFolder(people_root)
show(show.WRAP, [[show.style(width=170), _pictures[i][0], f"image {i}"] for i in flagged])
'''),
]
