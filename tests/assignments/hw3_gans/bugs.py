"""Seeded bugs for hw3_gans (see `seeded` and `contract` for how they are used).

Each unit test swaps in reference versions of what its function calls (`bce_loss` under
the two GAN losses), so a bug costs the points of its own tests; the three training runs
use every answer before them and may fail along with any of them (their collateral).
"""

from __future__ import annotations

from seeded import bug_maker

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

NOISE, D, G = {"test_sample_noise"}, {"test_discriminator"}, {"test_generator"}
BCE, D_LOSS, G_LOSS = {"test_bce_loss"}, {"test_discriminator_loss"}, {"test_generator_loss"}
OPT, LS, DC_D, DC_G = {"test_get_optimizer"}, {"test_ls_losses"}, {"test_dc_classifier"}, {"test_dc_generator"}

_NOISE = "return 2.0 * torch.rand(batch_size, dim) - 1.0"
_BCE = "per_element = input.clamp(min=0) - input * target + torch.log1p(torch.exp(-input.abs()))\n    return per_element.mean()"
_G_LOSS = "loss = bce_loss(logits_fake, torch.ones_like(logits_fake))"
_ADAM = "torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.5, 0.999))"
_LS_D = "loss = 0.5 * ((scores_real - 1) ** 2).mean() + 0.5 * (scores_fake ** 2).mean()"
_LS_G = "loss = 0.5 * ((scores_fake - 1) ** 2).mean()"

BUGS = [
    # sample_noise
    _bug("noise_in_unit_interval", "sample_noise", NOISE, (_NOISE, "return torch.rand(batch_size, dim)")),
    _bug("gaussian_noise", "sample_noise", NOISE, (_NOISE, "return torch.randn(batch_size, dim)")),
    _bug("noise_transposed", "sample_noise", NOISE, (_NOISE, "return 2.0 * torch.rand(dim, batch_size) - 1.0")),
    _bug("noise_half_width", "sample_noise", NOISE, (_NOISE, "return torch.rand(batch_size, dim) - 0.5")),
    _bug("numpy_noise", "sample_noise", NOISE,
         (_NOISE, "return torch.from_numpy(np.random.uniform(-1, 1, size=(batch_size, dim)))")),
    # discriminator
    _bug("d_relu_not_leaky", "discriminator", D, ("nn.LeakyReLU(0.01)", "nn.ReLU()")),
    _bug("d_leaky_slope_0_2", "discriminator", D, ("nn.LeakyReLU(0.01)", "nn.LeakyReLU(0.2)")),
    _bug("d_hidden_128", "discriminator", D,
         ("nn.Linear(256, 256), nn.LeakyReLU(0.01),\n        nn.Linear(256, 1)",
          "nn.Linear(256, 128), nn.LeakyReLU(0.01),\n        nn.Linear(128, 1)")),
    _bug("d_sigmoid_output", "discriminator", D, ("nn.Linear(256, 1),\n", "nn.Linear(256, 1), nn.Sigmoid(),\n")),
    _bug("d_missing_middle_activation", "discriminator", D,
         ("nn.Linear(256, 256), nn.LeakyReLU(0.01),", "nn.Linear(256, 256),")),
    # generator
    _bug("g_no_tanh", "generator", G, ("nn.Linear(1024, 784), nn.Tanh(),", "nn.Linear(1024, 784),")),
    _bug("g_sigmoid_output", "generator", G, ("nn.Tanh()", "nn.Sigmoid()")),
    _bug("g_ignores_noise_dim", "generator", G, ("nn.Linear(noise_dim, 1024)", "nn.Linear(NOISE_DIM, 1024)")),
    _bug("g_hidden_512", "generator", G,
         ("nn.Linear(1024, 1024), nn.ReLU(),\n        nn.Linear(1024, 784)",
          "nn.Linear(1024, 512), nn.ReLU(),\n        nn.Linear(512, 784)")),
    _bug("g_leaky_hidden", "generator", G, ("nn.ReLU()", "nn.LeakyReLU(0.01)")),
    # bce_loss
    _bug("bce_naive_logs", "bce_loss", BCE,
         (_BCE, "p = torch.sigmoid(input)\n    return (-target * torch.log(p) - (1 - target) * torch.log(1 - p)).mean()")),
    _bug("bce_sum_not_mean", "bce_loss", BCE, ("per_element.mean()", "per_element.sum()")),
    _bug("bce_of_sigmoid", "bce_loss", BCE, (_BCE, "return F.binary_cross_entropy(torch.sigmoid(input), target)")),
    _bug("bce_arguments_swapped", "bce_loss", BCE,
         ("input.clamp(min=0) - input * target + torch.log1p(torch.exp(-input.abs()))",
          "target.clamp(min=0) - target * input + torch.log1p(torch.exp(-target.abs()))")),
    _bug("bce_sign_of_cross_term", "bce_loss", BCE, ("- input * target", "+ input * target")),
    # discriminator_loss and generator_loss
    _bug("d_loss_labels_swapped", "gan_losses", D_LOSS,
         ("torch.ones_like(logits_real)", "torch.zeros_like(logits_real)"),
         ("torch.zeros_like(logits_fake)", "torch.ones_like(logits_fake)")),
    _bug("d_loss_halved", "gan_losses", D_LOSS, ("loss = (bce_loss(logits_real", "loss = 0.5 * (bce_loss(logits_real")),
    _bug("d_loss_labels_sized_by_real", "gan_losses", D_LOSS,
         ("torch.zeros_like(logits_fake)", "torch.zeros_like(logits_real)")),
    _bug("d_loss_without_fakes", "gan_losses", D_LOSS,
         ("+ bce_loss(logits_fake, torch.zeros_like(logits_fake)))", ")")),
    _bug("g_loss_saturating", "gan_losses", G_LOSS,
         (_G_LOSS, "loss = -bce_loss(logits_fake, torch.zeros_like(logits_fake))")),
    _bug("g_loss_sign", "gan_losses", G_LOSS, (_G_LOSS, "loss = -bce_loss(logits_fake, torch.ones_like(logits_fake))")),
    _bug("g_loss_label_zero", "gan_losses", G_LOSS, (_G_LOSS, "loss = bce_loss(logits_fake, torch.zeros_like(logits_fake))")),
    _bug("g_loss_detached", "gan_losses", G_LOSS,
         (_G_LOSS, "loss = bce_loss(logits_fake.detach(), torch.ones_like(logits_fake))")),
    # get_optimizer
    _bug("adam_default_betas", "get_optimizer", OPT, (", betas=(0.5, 0.999)", "")),
    _bug("adam_lr_1e_4", "get_optimizer", OPT, ("lr=1e-3", "lr=1e-4")),
    _bug("sgd_not_adam", "get_optimizer", OPT, (_ADAM, "torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.5)")),
    _bug("first_layer_only", "get_optimizer", OPT, ("model.parameters()", "next(model.children()).parameters()")),
    _bug("betas_swapped", "get_optimizer", OPT, ("betas=(0.5, 0.999)", "betas=(0.999, 0.5)")),
    # ls_discriminator_loss and ls_generator_loss
    _bug("ls_d_without_halves", "ls_losses", LS,
         (_LS_D, "loss = ((scores_real - 1) ** 2).mean() + (scores_fake ** 2).mean()")),
    _bug("ls_d_targets_swapped", "ls_losses", LS,
         (_LS_D, "loss = 0.5 * (scores_real ** 2).mean() + 0.5 * ((scores_fake - 1) ** 2).mean()")),
    _bug("ls_d_sum_not_mean", "ls_losses", LS,
         (_LS_D, "loss = 0.5 * ((scores_real - 1) ** 2).sum() + 0.5 * (scores_fake ** 2).sum()")),
    _bug("ls_d_one_mean_over_both_batches", "ls_losses", LS,
         (_LS_D, "loss = torch.cat([(scores_real - 1) ** 2, scores_fake ** 2]).mean()")),
    _bug("ls_g_without_half", "ls_losses", LS, (_LS_G, "loss = ((scores_fake - 1) ** 2).mean()")),
    _bug("ls_g_square_of_mean", "ls_losses", LS, (_LS_G, "loss = 0.5 * (scores_fake.mean() - 1) ** 2")),
    _bug("ls_g_pushes_to_zero", "ls_losses", LS, (_LS_G, "loss = 0.5 * (scores_fake ** 2).mean()")),
    _bug("ls_g_absolute_error", "ls_losses", LS, (_LS_G, "loss = 0.5 * (scores_fake - 1).abs().mean()")),
    # build_dc_classifier
    _bug("dc_d_relu_not_leaky", "dc_classifier", DC_D, ("nn.LeakyReLU(0.01)", "nn.ReLU()")),
    _bug("dc_d_average_pooling", "dc_classifier", DC_D, ("nn.MaxPool2d(2, stride=2)", "nn.AvgPool2d(2, stride=2)")),
    _bug("dc_d_same_padding", "dc_classifier", DC_D, ("kernel_size=5)", "kernel_size=5, padding=2)"),
         ("nn.Linear(4 * 4 * 64, 1024)", "nn.Linear(7 * 7 * 64, 1024)")),
    _bug("dc_d_no_unflatten", "dc_classifier", DC_D, ("nn.Unflatten(1, (1, 28, 28)),\n", "")),
    _bug("dc_d_second_conv_32", "dc_classifier", DC_D, ("nn.Conv2d(32, 64, kernel_size=5)", "nn.Conv2d(32, 32, kernel_size=5)"),
         ("nn.Linear(4 * 4 * 64, 1024)", "nn.Linear(4 * 4 * 32, 1024)")),
    # build_dc_generator
    _bug("dc_g_batchnorm_before_relu", "dc_generator", DC_G,
         ("nn.Linear(noise_dim, 1024), nn.ReLU(), nn.BatchNorm1d(1024)",
          "nn.Linear(noise_dim, 1024), nn.BatchNorm1d(1024), nn.ReLU()")),
    _bug("dc_g_no_tanh", "dc_generator", DC_G, ("padding=1), nn.Tanh(),", "padding=1),")),
    _bug("dc_g_no_padding", "dc_generator", DC_G, ("padding=1)", "padding=0)")),
    _bug("dc_g_missing_first_batchnorm", "dc_generator", DC_G, (", nn.BatchNorm1d(1024)", "")),
    _bug("dc_g_kernel_3", "dc_generator", DC_G, ("kernel_size=4", "kernel_size=3, output_padding=1")),
]
