"""Seeded bugs for hw3_gans (see `seeded` and `contract` for how they are used).

Each bug declares the points it costs in its own test, as measured in sample mode. The
tests call each function on their own inputs; the GAN losses also earn their points with
a stand-in (probe) for `bce_loss` underneath, so a mistake in `bce_loss` costs only its
own test. The networks are compared with the reference's under weights the test gives
their layers, found by type and shape: a layer of the wrong shape also loses that
comparison (1 point) besides the parameter count. The three training runs use every
answer before them and may fail along with any of them (their collateral).

The observations (points): test_sample_noise: float32 tensors of the asked shapes in
[-1, 1] (0.5), uniform and repeatable (0.5); each network: parameter count (0.5), output
shapes (0.5, with the range for generators), outputs under given weights (1); bce_loss:
random logits (0.5), logits up to 200 (0.5); each GAN loss: values (0.5), gradient (0.5);
get_optimizer: an Adam over every parameter (0.5), learning rate and betas (0.5); the
least-squares losses: 1 each; each training run: share of confident digits (1), number
of digits (1).
"""

from __future__ import annotations

from seeded import bug_maker, kernel_exit

VANILLA, LSGAN, DCGAN = "test_vanilla_training", "test_lsgan_training", "test_dcgan_training"
_bug = bug_maker("hw3_gans", {
    "sample_noise": {VANILLA, LSGAN, DCGAN},
    "discriminator": {VANILLA, LSGAN},
    "generator": {VANILLA, LSGAN},
    "bce_loss": {VANILLA, DCGAN},
    "gan_losses": {VANILLA, DCGAN},
    "get_optimizer": {VANILLA, LSGAN, DCGAN},
    "ls_losses": {LSGAN},
    "dc_classifier": {DCGAN},
    "dc_generator": {DCGAN},
})


def _losing(test: str):
    """`{test: points}`, the points a bug loses in `test`."""
    return lambda points: {test: points}


NOISE, D, G = _losing("test_sample_noise"), _losing("test_discriminator"), _losing("test_generator")
BCE, D_LOSS, G_LOSS = _losing("test_bce_loss"), _losing("test_discriminator_loss"), _losing("test_generator_loss")
OPT, LS = _losing("test_get_optimizer"), _losing("test_ls_losses")
DC_D, DC_G = _losing("test_dc_classifier"), _losing("test_dc_generator")

_NOISE = "return 2.0 * torch.rand(batch_size, dim) - 1.0"
_BCE = "per_element = input.clamp(min=0) - input * target + torch.log1p(torch.exp(-input.abs()))\n    return per_element.mean()"
_G_LOSS = "loss = bce_loss(logits_fake, torch.ones_like(logits_fake))"
_ADAM = "torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.5, 0.999))"
_LS_D = "loss = 0.5 * ((scores_real - 1) ** 2).mean() + 0.5 * (scores_fake ** 2).mean()"
_LS_G = "loss = 0.5 * ((scores_fake - 1) ** 2).mean()"

BUGS = [
    # sample_noise
    _bug("noise_in_unit_interval", "sample_noise", NOISE(0.5), (_NOISE, "return torch.rand(batch_size, dim)")),
    _bug("gaussian_noise", "sample_noise", NOISE(1), (_NOISE, "return torch.randn(batch_size, dim)")),
    _bug("noise_transposed", "sample_noise", NOISE(1), (_NOISE, "return 2.0 * torch.rand(dim, batch_size) - 1.0")),
    _bug("noise_half_width", "sample_noise", NOISE(0.5), (_NOISE, "return torch.rand(batch_size, dim) - 0.5")),
    _bug("numpy_noise", "sample_noise", NOISE(1),
         (_NOISE, "return torch.from_numpy(np.random.uniform(-1, 1, size=(batch_size, dim)))")),
    # discriminator
    _bug("d_relu_not_leaky", "discriminator", D(1), ("nn.LeakyReLU(0.01)", "nn.ReLU()")),
    _bug("d_leaky_slope_0_2", "discriminator", D(1), ("nn.LeakyReLU(0.01)", "nn.LeakyReLU(0.2)")),
    _bug("d_hidden_128", "discriminator", D(1.5),
         ("nn.Linear(256, 256), nn.LeakyReLU(0.01),\n        nn.Linear(256, 1)",
          "nn.Linear(256, 128), nn.LeakyReLU(0.01),\n        nn.Linear(128, 1)")),
    _bug("d_sigmoid_output", "discriminator", D(1), ("nn.Linear(256, 1),\n", "nn.Linear(256, 1), nn.Sigmoid(),\n")),
    _bug("d_missing_middle_activation", "discriminator", D(1),
         ("nn.Linear(256, 256), nn.LeakyReLU(0.01),", "nn.Linear(256, 256),")),
    # generator
    _bug("g_no_tanh", "generator", G(1), ("nn.Linear(1024, 784), nn.Tanh(),", "nn.Linear(1024, 784),")),
    _bug("g_sigmoid_output", "generator", G(1), ("nn.Tanh()", "nn.Sigmoid()")),
    _bug("g_ignores_noise_dim", "generator", G(2), ("nn.Linear(noise_dim, 1024)", "nn.Linear(NOISE_DIM, 1024)")),
    _bug("g_hidden_512", "generator", G(1.5),
         ("nn.Linear(1024, 1024), nn.ReLU(),\n        nn.Linear(1024, 784)",
          "nn.Linear(1024, 512), nn.ReLU(),\n        nn.Linear(512, 784)")),
    _bug("g_leaky_hidden", "generator", G(1), ("nn.ReLU()", "nn.LeakyReLU(0.01)")),
    # bce_loss
    _bug("bce_naive_logs", "bce_loss", BCE(0.5),
         (_BCE, "p = torch.sigmoid(input)\n    return (-target * torch.log(p) - (1 - target) * torch.log(1 - p)).mean()")),
    _bug("bce_sum_not_mean", "bce_loss", BCE(1), ("per_element.mean()", "per_element.sum()")),
    _bug("bce_of_sigmoid", "bce_loss", BCE(0.5), (_BCE, "return F.binary_cross_entropy(torch.sigmoid(input), target)")),
    _bug("bce_arguments_swapped", "bce_loss", BCE(1),
         ("input.clamp(min=0) - input * target + torch.log1p(torch.exp(-input.abs()))",
          "target.clamp(min=0) - target * input + torch.log1p(torch.exp(-target.abs()))")),
    _bug("bce_sign_of_cross_term", "bce_loss", BCE(1), ("- input * target", "+ input * target")),
    # discriminator_loss and generator_loss
    _bug("d_loss_labels_swapped", "gan_losses", D_LOSS(1),
         ("torch.ones_like(logits_real)", "torch.zeros_like(logits_real)"),
         ("torch.zeros_like(logits_fake)", "torch.ones_like(logits_fake)")),
    _bug("d_loss_halved", "gan_losses", D_LOSS(1), ("loss = (bce_loss(logits_real", "loss = 0.5 * (bce_loss(logits_real")),
    _bug("d_loss_labels_sized_by_real", "gan_losses", D_LOSS(1),
         ("torch.zeros_like(logits_fake)", "torch.zeros_like(logits_real)")),
    _bug("d_loss_without_fakes", "gan_losses", D_LOSS(1),
         ("+ bce_loss(logits_fake, torch.zeros_like(logits_fake)))", ")")),
    _bug("g_loss_saturating", "gan_losses", G_LOSS(1),
         (_G_LOSS, "loss = -bce_loss(logits_fake, torch.zeros_like(logits_fake))")),
    _bug("g_loss_sign", "gan_losses", G_LOSS(1), (_G_LOSS, "loss = -bce_loss(logits_fake, torch.ones_like(logits_fake))")),
    _bug("g_loss_label_zero", "gan_losses", G_LOSS(1), (_G_LOSS, "loss = bce_loss(logits_fake, torch.zeros_like(logits_fake))")),
    _bug("g_loss_detached", "gan_losses", G_LOSS(0.5),
         (_G_LOSS, "loss = bce_loss(logits_fake.detach(), torch.ones_like(logits_fake))")),
    # get_optimizer
    _bug("adam_default_betas", "get_optimizer", OPT(0.5), (", betas=(0.5, 0.999)", "")),
    _bug("adam_lr_1e_4", "get_optimizer", OPT(0.5), ("lr=1e-3", "lr=1e-4")),
    _bug("sgd_not_adam", "get_optimizer", OPT(1), (_ADAM, "torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.5)")),
    _bug("first_layer_only", "get_optimizer", OPT(0.5), ("model.parameters()", "next(model.children()).parameters()")),
    _bug("betas_swapped", "get_optimizer", OPT(0.5), ("betas=(0.5, 0.999)", "betas=(0.999, 0.5)")),
    # ls_discriminator_loss and ls_generator_loss
    _bug("ls_d_without_halves", "ls_losses", LS(1),
         (_LS_D, "loss = ((scores_real - 1) ** 2).mean() + (scores_fake ** 2).mean()")),
    _bug("ls_d_targets_swapped", "ls_losses", LS(1),
         (_LS_D, "loss = 0.5 * (scores_real ** 2).mean() + 0.5 * ((scores_fake - 1) ** 2).mean()")),
    _bug("ls_d_sum_not_mean", "ls_losses", LS(1),
         (_LS_D, "loss = 0.5 * ((scores_real - 1) ** 2).sum() + 0.5 * (scores_fake ** 2).sum()")),
    _bug("ls_d_one_mean_over_both_batches", "ls_losses", LS(1),
         (_LS_D, "loss = torch.cat([(scores_real - 1) ** 2, scores_fake ** 2]).mean()")),
    _bug("ls_g_without_half", "ls_losses", LS(1), (_LS_G, "loss = ((scores_fake - 1) ** 2).mean()")),
    _bug("ls_g_square_of_mean", "ls_losses", LS(1), (_LS_G, "loss = 0.5 * (scores_fake.mean() - 1) ** 2")),
    _bug("ls_g_pushes_to_zero", "ls_losses", LS(1), (_LS_G, "loss = 0.5 * (scores_fake ** 2).mean()")),
    _bug("ls_g_absolute_error", "ls_losses", LS(1), (_LS_G, "loss = 0.5 * (scores_fake - 1).abs().mean()")),
    # build_dc_classifier
    _bug("dc_d_relu_not_leaky", "dc_classifier", DC_D(1), ("nn.LeakyReLU(0.01)", "nn.ReLU()")),
    _bug("dc_d_average_pooling", "dc_classifier", DC_D(1), ("nn.MaxPool2d(2, stride=2)", "nn.AvgPool2d(2, stride=2)")),
    _bug("dc_d_same_padding", "dc_classifier", DC_D(1.5), ("kernel_size=5)", "kernel_size=5, padding=2)"),
         ("nn.Linear(4 * 4 * 64, 1024)", "nn.Linear(7 * 7 * 64, 1024)")),
    _bug("dc_d_no_unflatten", "dc_classifier", DC_D(1.5), ("nn.Unflatten(1, (1, 28, 28)),\n", "")),
    _bug("dc_d_second_conv_32", "dc_classifier", DC_D(1.5), ("nn.Conv2d(32, 64, kernel_size=5)", "nn.Conv2d(32, 32, kernel_size=5)"),
         ("nn.Linear(4 * 4 * 64, 1024)", "nn.Linear(4 * 4 * 32, 1024)")),
    # build_dc_generator
    _bug("dc_g_batchnorm_before_relu", "dc_generator", DC_G(1),
         ("nn.Linear(noise_dim, 1024), nn.ReLU(), nn.BatchNorm1d(1024)",
          "nn.Linear(noise_dim, 1024), nn.BatchNorm1d(1024), nn.ReLU()")),
    _bug("dc_g_no_tanh", "dc_generator", DC_G(1.5), ("padding=1), nn.Tanh(),", "padding=1),")),
    _bug("dc_g_no_padding", "dc_generator", DC_G(1.5), ("padding=1)", "padding=0)")),
    _bug("dc_g_missing_first_batchnorm", "dc_generator", DC_G(1.5), (", nn.BatchNorm1d(1024)", "")),
    _bug("dc_g_kernel_3", "dc_generator", DC_G(1.5), ("kernel_size=4", "kernel_size=3, output_padding=1")),
    # The kernel dies in the middle of the notebook: bce_loss's test and the two runs that train with it pay
    # (their generators stay untrained); the GAN losses still pass on the stand-in for bce_loss.
    kernel_exit(_bug, "bce_loss", {"test_bce_loss": 1, VANILLA: 2, DCGAN: 2}),
]
