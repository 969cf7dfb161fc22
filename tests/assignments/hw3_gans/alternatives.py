"""Other correct answers for hw3_gans, each written unlike the reference (classes instead of
nn.Sequential, functional losses, in-place sampling); every one must keep full marks,
the training runs included."""

from seeded import alternative_maker

alt = alternative_maker("hw3_gans")

ALTERNATIVES = [
    alt("noise_uniform_in_place", "sample_noise", '''
def sample_noise(batch_size, dim):
    """Noise drawn uniformly from [-1, 1]: a float32 tensor of shape (batch_size, dim)."""
    return torch.empty(batch_size, dim).uniform_(-1, 1)
'''),
    alt("discriminator_as_a_class", "discriminator", '''
class Discriminator(nn.Module):
    """Three fully connected layers with leaky ReLUs between them; one logit per image."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 256)
        self.out = nn.Linear(256, 1)

    def forward(self, x):
        x = F.leaky_relu(self.fc1(x), negative_slope=0.01)
        x = F.leaky_relu(self.fc2(x), negative_slope=0.01)
        return self.out(x)


def discriminator():
    return Discriminator()
'''),
    alt("generator_from_a_layer_list", "generator", '''
from collections import OrderedDict


def generator(noise_dim=NOISE_DIM):
    sizes = [noise_dim, 1024, 1024, 784]
    layers = OrderedDict()
    for k, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        layers[f"fc{k}"] = nn.Linear(fan_in, fan_out)
        layers[f"act{k}"] = nn.ReLU() if k < len(sizes) - 2 else nn.Tanh()
    return nn.Sequential(layers)
'''),
    alt("bce_with_logits", "bce_loss", '''
def bce_loss(input, target):
    # PyTorch's fused sigmoid + cross-entropy uses the same log-sum-exp trick.
    return F.binary_cross_entropy_with_logits(input, target, reduction="mean")
'''),
    alt("bce_softplus", "bce_loss", '''
def bce_loss(input, target):
    # -log sigmoid(s) = softplus(-s) and -log(1 - sigmoid(s)) = softplus(s), both stable
    return torch.mean(target * F.softplus(-input) + (1 - target) * F.softplus(input))
'''),
    alt("gan_losses_with_explicit_labels", "gan_losses", '''
def _labels(logits, value):
    return torch.full(logits.shape, float(value), dtype=logits.dtype, device=logits.device)


def discriminator_loss(logits_real, logits_fake):
    real_term = bce_loss(logits_real, _labels(logits_real, 1))
    fake_term = bce_loss(logits_fake, _labels(logits_fake, 0))
    return real_term + fake_term


def generator_loss(logits_fake):
    return bce_loss(logits_fake, _labels(logits_fake, 1))
'''),
    alt("adam_keywords", "get_optimizer", '''
import torch.optim as optim


def get_optimizer(model):
    return optim.Adam(params=[p for p in model.parameters()], lr=0.001, betas=[0.5, 0.999], eps=1e-8)
'''),
    alt("ls_losses_with_mse", "ls_losses", '''
def ls_discriminator_loss(scores_real, scores_fake):
    real = F.mse_loss(scores_real, torch.ones_like(scores_real))
    fake = F.mse_loss(scores_fake, torch.zeros_like(scores_fake))
    return (real + fake) / 2


def ls_generator_loss(scores_fake):
    return F.mse_loss(scores_fake, torch.ones_like(scores_fake)) / 2
'''),
    alt("dc_classifier_as_a_class", "dc_classifier", '''
class ConvDiscriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, stride=1)
        self.conv2 = nn.Conv2d(32, 64, 5, stride=1)
        self.fc1 = nn.Linear(1024, 1024)
        self.fc2 = nn.Linear(1024, 1)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28)
        x = F.max_pool2d(F.leaky_relu(self.conv1(x), 0.01), kernel_size=2, stride=2)
        x = F.max_pool2d(F.leaky_relu(self.conv2(x), 0.01), kernel_size=2, stride=2)
        x = F.leaky_relu(self.fc1(x.reshape(x.shape[0], -1)), 0.01)
        return self.fc2(x)


def build_dc_classifier():
    return ConvDiscriminator()
'''),
    alt("dc_generator_as_a_class", "dc_generator", '''
class ConvGenerator(nn.Module):
    def __init__(self, noise_dim):
        super().__init__()
        self.fc1, self.bn1 = nn.Linear(noise_dim, 1024), nn.BatchNorm1d(1024)
        self.fc2, self.bn2 = nn.Linear(1024, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7)
        self.up1, self.bn3 = nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = self.bn1(torch.relu(self.fc1(z)))
        h = self.bn2(torch.relu(self.fc2(h)))
        h = self.bn3(torch.relu(self.up1(h.view(-1, 128, 7, 7))))
        return torch.tanh(self.up2(h)).view(z.shape[0], 784)


def build_dc_generator(noise_dim=NOISE_DIM):
    return ConvGenerator(noise_dim)
'''),
]
