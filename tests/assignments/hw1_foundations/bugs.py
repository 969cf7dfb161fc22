"""Seeded bugs for hw1_foundations (see `seeded` and `contract` for how they are used)."""

from __future__ import annotations

from seeded import bug_maker, kernel_exit

_bug = bug_maker("hw1_foundations")

KNN = {"test_knn_example": 2, "test_knn_more": 3}  # every k-NN observation, all five points
_DIST = "distances.topk(k, dim=1, largest=False)"

BUGS = [
    # Exercise 1: knn
    _bug("knn_wrong_axis", "knn", KNN, (_DIST, "distances.topk(k, dim=0, largest=False)")),
    _bug("knn_skips_nearest", "knn", KNN, (f"return {_DIST}",
         "v, i = distances.topk(k + 1, dim=1, largest=False)\n    return v[:, 1:], i[:, 1:]")),
    _bug("knn_farthest", "knn", KNN, (_DIST, "distances.topk(k, dim=1)")),
    _bug("knn_squared_distances", "knn", KNN, (".norm(dim=-1)", ".pow(2).sum(dim=-1)")),
    _bug("knn_swapped_outputs", "knn", KNN, (f"return {_DIST}", f"v, i = {_DIST}\n    return i, v")),
    # right numbers, wrong method: the exercise asks for topk, not a full sort
    _bug("knn_delegates_to_sorted_knn", "knn", KNN, (f"return {_DIST}", "return sorted_knn(D, X, k)")),
    _bug("knn_full_sort_by_hand", "knn", KNN,
         (f"return {_DIST}", "order = distances.argsort(dim=1)[:, :k]\n    return distances.gather(1, order), order")),
    # Exercise 2: power rule
    _bug("p3_sign_error", "power_rule", {"test_power_rule": 0.5}, ("24 * x - 12", "24 * x + 12")),
    _bug("p4_not_a_batch", "power_rule", {"test_power_rule": 0.5}, ("torch.full_like(x, 24.0)", "24")),
    _bug("p2_wrong_coefficient", "power_rule", {"test_power_rule": 0.5}, ("12 * x**2 - 12 * x", "12 * x**2 - 6 * x")),
    # Exercise 2: autograd
    _bug("no_create_graph", "autograd", {"test_autograd": 3}, (", create_graph=True", "")),
    _bug("grad_of_non_scalar", "autograd", {"test_autograd": 3}, ("current.sum()", "current")),
    _bug("order_off_by_one", "autograd", {"test_autograd": 2}, ("range(order)", "range(order + 1)")),
    _bug("detached_between_orders", "autograd", {"test_autograd": 3},
         ("result.append(current)", "result.append(current)\n        current = current.detach().requires_grad_(True)")),
    _bug("mutates_callers_x", "autograd", {"test_autograd": 1},
         ("x = x.detach().clone().requires_grad_(True)", "x.requires_grad_(True)")),
    # Exercise 3: logic networks
    _bug("xor_single_neuron", "logic_networks", {"test_logic_networks": 0.375},
         ('logic_networks["A XOR B"] = torch.nn.Sequential(', 'logic_networks["A XOR B"] = Neuron({"a": 1.0, "b": -1.0})\n_unused = torch.nn.Sequential(')),
    _bug("nand_is_and", "logic_networks", {"test_logic_networks": 0.1875},
         ('["A NAND B"] = Neuron({"a": -1.0, "b": -1.0}, bias=1.0)', '["A NAND B"] = Neuron({"a": 1.0, "b": 1.0}, bias=-1.0)')),
    _bug("or_without_bias", "logic_networks", {"test_logic_networks": 0.1875},
         ('["A OR B"] = Neuron({"a": 1.0, "b": 1.0}, bias=1.0)', '["A OR B"] = Neuron({"a": 1.0, "b": 1.0})')),
    _bug("xnor_output_misnamed", "logic_networks", {"test_logic_networks": 0.375},
         ('Neuron({"both": 1.0, "neither": 1.0}, bias=1.0)', 'Neuron({"both": 1.0, "neither": 1.0}, bias=1.0, output="xnor")')),
    # Exercise 3: answers
    _bug("count_all_fourteen", "mp_answers", {"test_mp_answers": 0.5}, ("single_neuron_count = 12", "single_neuron_count = 14")),
    _bug("nand_needs_more", "mp_answers", {"test_mp_answers": 0.5}, ('{"A XOR B", "A XNOR B"}', '{"A XOR B", "A XNOR B", "A NAND B"}')),
    _bug("count_as_float", "mp_answers", {"test_mp_answers": 0.5}, ("single_neuron_count = 12", "single_neuron_count = 12.0")),
    # Exercise 4: gradients through softmax
    _bug("ce_gradient_sign", "softmax_grads", {"test_loss_gradients": 1}, ("return p1 - y1", "return y1 - p1")),
    _bug("mse_gradient_wrt_p", "softmax_grads", {"test_loss_gradients": 1},
         ("return 4 * p1 * (1 - p1) * (p1 - y1)", "return 4 * (p1 - y1)")),
    _bug("mse_gradient_one_path", "softmax_grads", {"test_loss_gradients": 1},
         ("return 4 * p1 * (1 - p1) * (p1 - y1)", "return 2 * p1 * (1 - p1) * (p1 - y1)")),
    _bug("jacobian_offdiagonal_sign", "softmax_grads", {"test_softmax_jacobian": 1},
         ("torch.stack([p1 * (1 - p1), -p1 * p2])", "torch.stack([p1 * (1 - p1), p1 * p2])")),
    _bug("jacobian_diagonal_is_p", "softmax_grads", {"test_softmax_jacobian": 1},
         ("torch.stack([p1 * (1 - p1), -p1 * p2]),\n                        torch.stack([-p1 * p2, p2 * (1 - p2)])",
          "torch.stack([p1, -p1 * p2]),\n                        torch.stack([-p1 * p2, p2])")),
    # Exercise 5: module census
    _bug("counts_children", "module_census", {"test_module_census": 0.5},
         ("sum(1 for _ in component.modules())", "sum(1 for _ in component.children())")),
    _bug("scalars_are_tensors", "module_census", {"test_module_census": 0.5},
         ('"scalars": sum(p.numel() for p in params)', '"scalars": len(params)')),
    _bug("census_of_everything", "module_census", {"test_module_census": 0.5},
         ("if isinstance(component, torch.nn.Module):", "if component is not None:"),
         ("params = list(component.parameters())", "params = list(component.parameters()) if isinstance(component, torch.nn.Module) else []"),
         ("sum(1 for _ in component.modules())", "sum(1 for _ in getattr(component, 'modules', list)())")),
    _bug("modules_without_itself", "module_census", {"test_module_census": 0.5},
         ("sum(1 for _ in component.modules())", "sum(1 for _ in component.modules()) - 1")),
    # Exercise 5: tensor facts
    _bug("latents_channels_last", "tensor_facts", {"test_tensor_facts": 0.5},
         ('describe(image_vectors, ("batch", "channel", "height", "width"))', 'describe(image_vectors, ("batch", "height", "width", "channel"))')),
    _bug("typed_full_model_shape", "tensor_facts", {"test_tensor_facts": 0.5},
         ('tensor_facts["text_vectors"] = describe(text_vectors, ("batch", "sequence", "feature"))',
          'tensor_facts["text_vectors"] = {"dtype": torch.float16, "shape": (2, 77, 768), "numel": 118272,\n'
          '                                "dims": ("batch", "sequence", "feature")}')),
    _bug("tokens_dims_swapped", "tensor_facts", {"test_tensor_facts": 0.5},
         ('describe(text_tokens, ("batch", "sequence"))', 'describe(text_tokens, ("sequence", "batch"))')),
    _bug("numel_is_last_dim", "tensor_facts", {"test_tensor_facts": 2},
         ('"numel": tensor.numel()', '"numel": tensor.shape[-1]')),
    # Exercise 6: safety checker
    _bug("index_within_batch", "find_flagged", {"test_find_flagged": 3},
         ("flagged += [batch_number * batch_size + i", "flagged += [i")),
    _bug("no_clip_normalization", "find_flagged", {"test_find_flagged": 3},
         ("transform=Compose([ToTensor(), Normalize(CLIP_MEAN, CLIP_STD)])", "transform=ToTensor()")),
    # (Leaving clip_input in float32 is not a bug: the checker's CLIP vision model casts its
    # input to its own dtype, so the flags are right in every precision; a shuffled loader is.)
    _bug("shuffled_loader", "find_flagged", {"test_find_flagged": 3},
         ("DataLoader(dataset, batch_size=batch_size)", "DataLoader(dataset, batch_size=batch_size, shuffle=True)")),
    _bug("batch_of_one", "find_flagged", {"test_find_flagged": 3},
         ("DataLoader(dataset, batch_size=batch_size)", "DataLoader(dataset, batch_size=1)")),
    _bug("batches_counted_from_one", "find_flagged", {"test_find_flagged": 3},
         ("enumerate(DataLoader(dataset, batch_size=batch_size))", "enumerate(DataLoader(dataset, batch_size=batch_size), start=1)")),
    # The kernel dies in the middle of the notebook: only this answer's tests pay.
    kernel_exit(_bug, "power_rule", {"test_power_rule": 2}),
]

