"""Seeded bugs for hw3_simclr (see `seeded` and `contract` for how they are used).

Each bug declares the points it costs in each test it fails. A test whose function calls
another exercise's function also earns its points with stand-ins (probes) for those
(a tanh "similarity" for `sim` and for the vectorized helpers, a stand-in loss for
`train`), so a bug costs the points of its own function only. The linear evaluation is
the exception: the training epoch before it runs the student's transform, pair dataset,
loss and training step, so any of those may also cost it (collateral).
"""

from __future__ import annotations

from seeded import bug_maker, kernel_exit

EVALUATION = {"test_linear_evaluation"}
_bug = bug_maker("hw3_simclr", {cell: EVALUATION for cell in (
    "train_transform", "pair_dataset", "sim_positive_pairs", "sim_matrix", "loss_vectorized", "train_step")})


def _losing(test: str):
    """`{test: points}`, the points a bug loses in `test`."""
    return lambda points: {test: points}


TRANSFORM, PAIRS, SIM, NAIVE = (_losing(t) for t in ("test_transform", "test_pair_dataset", "test_sim",
                                                     "test_loss_naive"))
POSITIVE, MATRIX, VECTOR, TRAIN = (_losing(t) for t in ("test_sim_positive_pairs", "test_sim_matrix",
                                                        "test_loss_vectorized", "test_train"))
_EYE = "torch.eye(2 * N, dtype=torch.bool, device=out_left.device)"

BUGS = [
    # compute_train_transform
    _bug("hflip_ignored", "train_transform", TRANSFORM(1),
         ("transforms.RandomHorizontalFlip(p=hflip)", "transforms.RandomHorizontalFlip()")),
    _bug("vertical_flip", "train_transform", TRANSFORM(1),
         ("transforms.RandomHorizontalFlip(p=hflip)", "transforms.RandomVerticalFlip(p=hflip)")),
    _bug("jitter_always", "train_transform", TRANSFORM(1),
         ("transforms.RandomApply([color_jitter], p=0.8)", "color_jitter")),
    _bug("grayscale_and_jitter_probabilities_swapped", "train_transform", TRANSFORM(2),
         ("transforms.RandomApply([color_jitter], p=0.8)", "transforms.RandomApply([color_jitter], p=0.2)"),
         ("transforms.RandomGrayscale(p=0.2)", "transforms.RandomGrayscale(p=0.8)")),
    _bug("not_normalized", "train_transform", TRANSFORM(1), ("        transforms.Normalize(MEAN, STD),\n", "")),
    _bug("supervised_padded_crop", "train_transform", TRANSFORM(1),
         ("transforms.RandomResizedCrop(size, scale=scale)", "transforms.RandomCrop(size, padding=4, pad_if_needed=True)")),
    _bug("scale_ignored", "train_transform", TRANSFORM(1),
         ("transforms.RandomResizedCrop(size, scale=scale)", "transforms.RandomResizedCrop(size)")),
    # PairDataset.__getitem__
    _bug("same_view_twice", "pair_dataset", PAIRS(1), ("x_j = self.transform(image)", "x_j = x_i")),
    _bug("previous_image", "pair_dataset", PAIRS(2),
         ("Image.fromarray(self.images[index])", "Image.fromarray(self.images[index - 1])")),
    _bug("index_as_label", "pair_dataset", PAIRS(1), ("label = self.labels[index]", "label = index")),
    _bug("second_view_unaugmented", "pair_dataset", PAIRS(1),
         ("x_j = self.transform(image)", "x_j = transforms.ToTensor()(image)")),
    # sim
    _bug("dot_not_normalized", "sim", SIM(2),
         ("torch.dot(z_i, z_j) / (torch.linalg.norm(z_i) * torch.linalg.norm(z_j))", "torch.dot(z_i, z_j)")),
    _bug("norms_added", "sim", SIM(2),
         ("torch.linalg.norm(z_i) * torch.linalg.norm(z_j)", "torch.linalg.norm(z_i) + torch.linalg.norm(z_j)")),
    _bug("first_norm_squared", "sim", SIM(2),
         ("torch.linalg.norm(z_i) * torch.linalg.norm(z_j)", "torch.linalg.norm(z_i) ** 2")),
    # simclr_loss_naive
    _bug("naive_temperature_ignored", "loss_naive", NAIVE(2), ("/ tau)", ")")),
    _bug("naive_temperature_twice", "loss_naive", NAIVE(2), ("/ tau)", "/ tau / tau)")),
    _bug("naive_partner_left_out_of_denominator", "loss_naive", NAIVE(3), ("if m != i:", "if m not in (i, j):")),
    _bug("naive_self_instead_of_partner_in_denominator", "loss_naive", NAIVE(3), ("if m != i:", "if m != j:")),
    _bug("naive_one_direction_only", "loss_naive", NAIVE(3),
         ("for i, j in ((k, k + N), (k + N, k)):", "for i, j in ((k, k + N),):")),
    _bug("naive_averaged_over_N", "loss_naive", NAIVE(3), ("return total_loss / (2 * N)", "return total_loss / N")),
    # sim_positive_pairs
    _bug("pairs_not_normalized", "sim_positive_pairs", POSITIVE(2),
         ("pos_pairs = (left * right)", "pos_pairs = (out_left * out_right)")),
    _bug("pairs_normalized_over_batch", "sim_positive_pairs", POSITIVE(2),
         ("torch.linalg.norm(out_left, dim=1,", "torch.linalg.norm(out_left, dim=0,"),
         ("torch.linalg.norm(out_right, dim=1,", "torch.linalg.norm(out_right, dim=0,")),
    _bug("pairs_shifted_by_one", "sim_positive_pairs", POSITIVE(2),
         ("pos_pairs = (left * right)", "pos_pairs = (left * right.roll(1, dims=0))")),
    _bug("pairs_full_matrix", "sim_positive_pairs", POSITIVE(2),
         ("pos_pairs = (left * right).sum(dim=1, keepdim=True)", "pos_pairs = left @ right.T")),
    # compute_sim_matrix
    _bug("matrix_not_normalized", "sim_matrix", MATRIX(2), ("sim_matrix = unit @ unit.T", "sim_matrix = out @ out.T")),
    _bug("matrix_normalized_columns", "sim_matrix", MATRIX(2),
         ("torch.linalg.norm(out, dim=1, keepdim=True)", "torch.linalg.norm(out, dim=0, keepdim=True)")),
    _bug("matrix_of_features", "sim_matrix", MATRIX(2), ("sim_matrix = unit @ unit.T", "sim_matrix = unit.T @ unit")),
    _bug("matrix_diagonal_zeroed", "sim_matrix", MATRIX(2),
         ("sim_matrix = unit @ unit.T", "sim_matrix = unit @ unit.T - torch.eye(len(out), dtype=out.dtype)")),
    # simclr_loss_vectorized
    _bug("diagonal_not_masked", "loss_vectorized", VECTOR(3),
         ("(exponential * not_self).sum(dim=1", "exponential.sum(dim=1")),
    _bug("partner_masked_too", "loss_vectorized", VECTOR(3),
         (f"not_self = ~{_EYE}", f"not_self = ~({_EYE} | {_EYE}.roll(N, dims=1))")),
    _bug("numerator_without_temperature", "loss_vectorized", VECTOR(3),
         ("torch.exp(torch.cat([positive, positive], dim=0) / tau)", "torch.exp(torch.cat([positive, positive], dim=0))")),
    _bug("partner_diagonal_offset_one", "loss_vectorized", VECTOR(3),
         ("positive = sim_positive_pairs(out_left, out_right)",
          "positive = torch.diagonal(compute_sim_matrix(out), offset=1)[:N, None]")),
    _bug("summed_not_averaged", "loss_vectorized", VECTOR(3), ("loss = torch.mean(", "loss = torch.sum(")),
    _bug("denominator_loops_over_rows", "loss_vectorized", VECTOR(1),
         ("denominator = (exponential * not_self).sum(dim=1, keepdim=True)",
          "denominator = torch.stack([exponential[i].sum() - exponential[i, i] for i in range(2 * N)])[:, None]")),
    _bug("loss_detached", "loss_vectorized", VECTOR(1),
         ("loss = torch.mean(-torch.log(numerator / denominator))",
          "loss = torch.tensor(torch.mean(-torch.log(numerator / denominator)).item())")),
    # train
    _bug("gradients_never_cleared", "train_step", TRAIN(1), ("        optimizer.zero_grad()\n", "")),
    _bug("loss_on_features", "train_step", TRAIN(3),
         ("_, out_left = model(x_i)", "out_left, _ = model(x_i)"), ("_, out_right = model(x_j)", "out_right, _ = model(x_j)")),
    _bug("left_view_twice", "train_step", TRAIN(3), ("_, out_right = model(x_j)", "_, out_right = model(x_i)")),
    _bug("no_optimizer_step", "train_step", TRAIN(2), ("        optimizer.step()\n", "")),
    _bug("temperature_fixed_at_half", "train_step", TRAIN(3),
         ("simclr_loss_vectorized(out_left, out_right, temperature)", "simclr_loss_vectorized(out_left, out_right, 0.5)")),
    # The kernel dies in the middle of the notebook: only this answer's tests pay.
    kernel_exit(_bug, "sim", {"test_sim": 2}),
]
