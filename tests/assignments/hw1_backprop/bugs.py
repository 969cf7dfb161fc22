"""Seeded bugs for hw1_backprop (see `seeded` for how they are used), each with the points
it loses in each test it must fail.

No bug here has collateral: every hidden test that builds on another answer has a second
way to earn its points that does not use that answer. The network, training and
gradient-norm tests also run with the stand-in layers of `helpers.backprop.standins` in place
of the student's; the operation tests of `Value` also read `local_grads`; the backward test
also runs `backward()` on nodes made with `Value(data, parents, local_grads)`; and the
expression test also evaluates `my_expression` with forward-mode scalars.
"""

from __future__ import annotations

from seeded import bug_maker, kernel_exit

_bug = bug_maker("hw1_backprop")

_TOPO = "for node in reversed(order):"
_DEDUP = "            if id(node) in seen:\n                return\n"

BUGS = [
    # Exercise 1: Value
    _bug("grad_overwritten_not_accumulated", "value_class", {"test_value_backward": 3},
         ("parent.grad += local * node.grad", "parent.grad = local * node.grad")),
    _bug("topological_order_not_reversed", "value_class", {"test_value_backward": 3},
         (_TOPO, "for node in order:")),
    _bug("tanh_derivative_without_square", "value_class", {"test_value_op_grads": 1}, ("(1.0 - t * t,)", "(1.0 - t,)")),
    _bug("relu_grad_wrong_side", "value_class", {"test_value_op_grads": 1},
         ("(1.0 if self.data > 0 else 0.0,)", "(1.0 if self.data < 0 else 0.0,)")),
    _bug("power_rule_keeps_exponent", "value_class", {"test_value_op_grads": 0.5},
         ("(exponent * self.data ** (exponent - 1),)", "(exponent * self.data ** exponent,)")),
    _bug("product_local_grads_swapped", "value_class", {"test_value_op_grads": 0.5},
         ("(other.data, self.data))", "(self.data, other.data))")),
    _bug("output_grad_not_seeded", "value_class", {"test_value_backward": 3}, ("        self.grad = 1.0\n", "")),
    _bug("shared_nodes_visited_twice", "value_class", {"test_value_backward": 1},
         (_DEDUP, ""), ("            seen.add(id(node))\n", "")),
    _bug("exp_derivative_is_input", "value_class", {"test_value_op_grads": 1}, ("return Value(e, (self,), (e,))",
                                                           "return Value(e, (self,), (self.data,))")),
    _bug("relu_forward_keeps_negatives", "value_class", {"test_value_forward": 0.5},
         ("return Value(max(self.data, 0.0), (self,)", "return Value(abs(self.data), (self,)")),
    _bug("sum_without_parents", "value_class", {"test_value_forward": 0.5, "test_value_op_grads": 0.5},
         ("return Value(self.data + other.data, (self, other), (1.0, 1.0))", "return Value(self.data + other.data)")),
    # Exercise 1: the student's own expression
    _bug("expression_calls_torch", "my_expression", {"test_my_expression": 0.5},
         ("e = d.tanh() * a", "e = torch.tanh(d) * a")),
    _bug("expression_too_short", "my_expression", {"test_my_expression": 0.5},
         ("    d = a * b + c  # d is used three times below\n    e = d.tanh() * a\n"
          "    return e + (d ** 2).exp() * 0.1 - (d - a).relu() / c",
          "    return (a * b).tanh() + c")),
    _bug("expression_without_reuse", "my_expression", {"test_my_expression": 0.5},
         ("    d = a * b + c  # d is used three times below\n    e = d.tanh() * a\n"
          "    return e + (d ** 2).exp() * 0.1 - (d - a).relu() / c",
          "    return ((a * b + c).tanh() * 2.0 + 1.0).exp()")),
    _bug("expression_without_nonlinearity", "my_expression", {"test_my_expression": 0.5},
         ("    d = a * b + c  # d is used three times below\n    e = d.tanh() * a\n"
          "    return e + (d ** 2).exp() * 0.1 - (d - a).relu() / c",
          "    d = a * b + c\n    return d * d + a * d - b * c")),
    # Exercise 2: LinearFunction
    _bug("linear_weight_grad_transposed", "linear_function", {"test_linear": 1.5},
         ("grad_output.T @ x", "x.T @ grad_output")),
    _bug("linear_bias_grad_mean", "linear_function", {"test_linear": 1.5},
         ("grad_output.sum(dim=0)", "grad_output.mean(dim=0)")),
    _bug("linear_input_grad_through_weight_T", "linear_function", {"test_linear": 1.5},
         ("grad_x = grad_output @ weight ", "grad_x = grad_output @ weight.T ")),
    _bug("linear_grads_in_wrong_order", "linear_function", {"test_linear": 1.5},
         ("return grad_x, grad_weight, grad_bias", "return grad_weight, grad_x, grad_bias")),
    _bug("linear_forward_without_bias", "linear_function", {"test_linear": 0.5},
         ("return x @ weight.T + bias", "return x @ weight.T")),
    _bug("linear_left_to_autograd", "linear_function", {"test_linear": 1.5},
         ("class LinearFunction(torch.autograd.Function):",
          "class LinearFunction:  # autograd differentiates apply; forward and backward are never used\n"
          "    apply = staticmethod(lambda x, weight, bias: x @ weight.T + bias)\n")),
    # Exercise 2: ReLUFunction
    _bug("relu_backward_wrong_side", "relu_function", {"test_relu": 0.5},
         ("grad_output * (x > 0)", "grad_output * (x < 0)")),
    _bug("relu_backward_ignores_upstream", "relu_function", {"test_relu": 0.5},
         ("return grad_output * (x > 0)", "return (x > 0).to(grad_output.dtype)")),
    _bug("relu_mask_from_output", "relu_function", {"test_relu": 0.5},
         ("ctx.save_for_backward(x)\n        return x.clamp(min=0)",
          "out = x.clamp(min=0)\n        ctx.save_for_backward(out)\n        return out"),
         ("grad_output * (x > 0)", "grad_output * (x >= 0)")),
    _bug("relu_forward_abs", "relu_function", {"test_relu": 0.5}, ("return x.clamp(min=0)", "return x.abs()")),
    # Exercise 2: SigmoidFunction
    _bug("sigmoid_derivative_of_tanh", "sigmoid_function", {"test_sigmoid": 0.5},
         ("grad_output * s * (1 - s)", "grad_output * (1 - s * s)")),
    _bug("sigmoid_derivative_from_input", "sigmoid_function", {"test_sigmoid": 0.5},
         ("ctx.save_for_backward(s)", "ctx.save_for_backward(x)")),
    _bug("sigmoid_backward_ignores_upstream", "sigmoid_function", {"test_sigmoid": 0.5},
         ("return grad_output * s * (1 - s)", "return s * (1 - s)")),
    _bug("sigmoid_overflows", "sigmoid_function", {"test_sigmoid": 1},
         ("s = 1 / (1 + torch.exp(-x))", "s = torch.exp(x) / (1 + torch.exp(x))")),
    # Exercise 2: SoftmaxCrossEntropy
    _bug("ce_gradient_without_target", "softmax_ce_function", {"test_softmax_ce": 1.5},
         ("        grad[torch.arange(len(targets), device=probs.device), targets] -= 1  # softmax minus one-hot\n", "")),
    _bug("ce_gradient_of_the_sum", "softmax_ce_function", {"test_softmax_ce": 1.5},
         ("grad_output * grad / len(targets)", "grad_output * grad")),
    _bug("ce_loss_is_the_sum", "softmax_ce_function", {"test_softmax_ce": 2},
         ("-log_probs[rows, targets].mean()", "-log_probs[rows, targets].sum()"),
         ("grad_output * grad / len(targets)", "grad_output * grad")),
    _bug("ce_gradient_ignores_upstream", "softmax_ce_function", {"test_softmax_ce": 1},
         ("return grad_output * grad / len(targets), None", "return grad / len(targets), None")),
    _bug("ce_softmax_overflows", "softmax_ce_function", {"test_softmax_ce": 0.5},
         ("shifted = logits - logits.max(dim=1, keepdim=True).values", "shifted = logits")),
    # Exercise 3: the network
    _bug("network_uses_torch_relu", "two_layer", {"test_two_layer_logits": 0.5},
         ("ReLUFunction.apply(LinearFunction", "torch.relu(LinearFunction")),
    _bug("network_without_relu", "two_layer", {"test_two_layer_logits": 1},
         ('ReLUFunction.apply(LinearFunction.apply(x, params["W1"], params["b1"]))',
          'LinearFunction.apply(x, params["W1"], params["b1"])')),
    _bug("network_relu_on_logits", "two_layer", {"test_two_layer_logits": 0.5},
         ('return LinearFunction.apply(hidden, params["W2"], params["b2"])',
          'return ReLUFunction.apply(LinearFunction.apply(hidden, params["W2"], params["b2"]))')),
    _bug("network_sigmoid_hidden_layer", "two_layer", {"test_two_layer_logits": 1},
         ("ReLUFunction.apply(LinearFunction", "SigmoidFunction.apply(LinearFunction")),
    # Exercise 3: training
    _bug("gradient_ascent", "train", {"test_training": 3}, ("p -= lr * p.grad", "p += lr * p.grad")),
    _bug("gradients_never_cleared", "train", {"test_training": 3},
         ("        for p in params.values():\n            p.grad = None\n", "")),
    _bug("one_batch_forever", "train", {"test_training": 3},
         ("    for _ in range(steps):\n        batch = torch.randint(len(x), (batch_size,), generator=generator)\n",
          "    batch = torch.randint(len(x), (batch_size,), generator=generator)\n    for _ in range(steps):\n")),
    _bug("learning_rate_divided_by_batch", "train", {"test_training": 3},
         ("p -= lr * p.grad", "p -= lr * p.grad / batch_size")),
    _bug("loss_from_torch_not_the_layers", "train", {"test_training": 3},
         ("loss = SoftmaxCrossEntropy.apply(two_layer_logits(params, x[batch]), y[batch])",
          "loss = torch.nn.functional.cross_entropy(two_layer_logits(params, x[batch]), y[batch])")),
    # Exercise 4: gradient norms
    _bug("norms_output_side_first", "gradient_norms", {"test_gradient_norms": 2},
         ("[g.norm().item() for g in grads]", "[g.norm().item() for g in reversed(grads)]")),
    _bug("norms_of_bias_gradients", "gradient_norms", {"test_gradient_norms": 2},
         ("[weight for weight, _ in layers]", "[bias for _, bias in layers]")),
    _bug("activation_ignored", "gradient_norms", {"test_gradient_norms": 1.25},
         ('act = {"sigmoid": SigmoidFunction, "relu": ReLUFunction}[activation]', "act = SigmoidFunction")),
    _bug("activation_after_output_layer", "gradient_norms", {"test_gradient_norms": 2},
         ("        if i < len(layers) - 1:  # no activation after the output layer\n            h = act.apply(h)",
          "        h = act.apply(h)")),
    _bug("norms_accumulate_between_calls", "gradient_norms", {"test_gradient_norms": 0.5},
         ("grads = torch.autograd.grad(loss, [weight for weight, _ in layers])",
          "loss.backward()\n    grads = [weight.grad for weight, _ in layers]")),
    # The kernel dies in the middle of the notebook: only this answer's tests pay.
    kernel_exit(_bug, "relu_function", {"test_relu": 1}),
]
