"""Alternative correct answers for hw3_simclr, each in a style unlike the reference.

Written from the release notebook's text alone. They differ from the reference where the
text leaves room: the transform written by hand with torch's generator or with
torchvision's v2 API, the second view drawn first, the loss as a cross-entropy, with
logsumexp or without calling the two helpers, the two views run through the model as one
batch.
"""

from seeded import alternative_maker

alt = alternative_maker("hw3_simclr")

ALTERNATIVES = [
    alt("transform_by_hand", "train_transform", '''
def compute_train_transform(seed=123456, size=32, hflip=0.5, scale=(0.08, 1.0)):
    """The SimCLR training augmentation: PIL image -> normalized float tensor (3, size, size)."""
    random.seed(seed)
    torch.manual_seed(seed)
    color_jitter = transforms.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)
    crop = transforms.RandomResizedCrop((size, size), scale=scale)
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)

    def augment(img):
        img = crop(img)
        if torch.rand(()) < hflip:
            img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if torch.rand(()) < 0.8:
            img = color_jitter(img)
        if torch.rand(()) < 0.2:
            img = img.convert("L").convert("RGB")
        pixels = torch.from_numpy(np.array(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        return (pixels - mean) / std

    return augment
'''),
    alt("transform_v2", "train_transform", '''
from torchvision.transforms import v2


def compute_train_transform(seed=123456, size=32, hflip=0.5, scale=(0.08, 1.0)):
    random.seed(seed)
    torch.manual_seed(seed)
    color_jitter = transforms.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.4, hue=0.1)
    steps = [
        v2.RandomResizedCrop(size=(size, size), scale=scale, antialias=True),
        v2.RandomHorizontalFlip(p=hflip),
        v2.RandomApply([color_jitter], p=0.8),
        v2.RandomGrayscale(p=0.2),
        v2.ToImage(),
        v2.ToDtype(torch.float32, scale=True),
        v2.Normalize(mean=list(MEAN), std=list(STD)),
    ]
    return v2.Compose(steps)
'''),
    alt("pairs_comprehension", "pair_dataset", '''
class PairDataset(Dataset):
    """Images (N, H, W, 3) uint8 with labels; item k is (view, another view, label) of image k."""

    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        pil = transforms.ToPILImage()(self.images[index])
        x_i, x_j = [self.transform(pil) for _ in range(2)]
        return x_i, x_j, int(self.labels[index])
'''),
    alt("pairs_second_view_drawn_first", "pair_dataset", '''
class PairDataset(Dataset):
    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        image = Image.fromarray(self.images[index])
        x_j = self.transform(image)  # the order of the two draws is not asked for
        x_i = self.transform(image)
        return x_i, x_j, self.labels[index]
'''),
    alt("sim_unit_vectors", "sim", '''
def sim(z_i, z_j):
    """Cosine similarity of two 1-D tensors, as a 0-dim tensor."""
    u = z_i / z_i.norm()
    v = z_j / z_j.norm()
    return (u * v).sum()
'''),
    alt("sim_cosine_similarity", "sim", '''
import torch.nn.functional as F


def sim(z_i, z_j):
    return F.cosine_similarity(z_i, z_j, dim=0)
'''),
    alt("naive_logsumexp_per_view", "loss_naive", '''
def simclr_loss_naive(out_left, out_right, tau):
    N = out_left.shape[0]
    out = torch.cat([out_left, out_right], dim=0)
    terms = []
    for i in range(2 * N):
        partner = (i + N) % (2 * N)
        others = torch.stack([sim(out[i], out[k]) / tau for k in range(2 * N) if k != i])
        terms.append(torch.logsumexp(others, dim=0) - sim(out[i], out[partner]) / tau)
    return torch.stack(terms).mean()
'''),
    alt("pairs_cosine_similarity", "sim_positive_pairs", '''
import torch.nn.functional as F


def sim_positive_pairs(out_left, out_right):
    return F.cosine_similarity(out_left, out_right, dim=1)[:, None]
'''),
    alt("pairs_einsum", "sim_positive_pairs", '''
def sim_positive_pairs(out_left, out_right):
    dots = torch.einsum("nd,nd->n", out_left, out_right)
    return (dots / (out_left.norm(dim=1) * out_right.norm(dim=1))).unsqueeze(1)
'''),
    alt("matrix_outer_norms", "sim_matrix", '''
def compute_sim_matrix(out):
    norms = out.norm(dim=1)
    return (out @ out.t()) / torch.outer(norms, norms)
'''),
    alt("matrix_normalize", "sim_matrix", '''
import torch.nn.functional as F


def compute_sim_matrix(out):
    unit = F.normalize(out, p=2, dim=1)
    return torch.mm(unit, unit.t())
'''),
    alt("vectorized_cross_entropy", "loss_vectorized", '''
import torch.nn.functional as F


def simclr_loss_vectorized(out_left, out_right, tau):
    N = out_left.shape[0]
    out = torch.cat([out_left, out_right], dim=0)
    logits = compute_sim_matrix(out) / tau
    self_mask = torch.eye(2 * N, dtype=torch.bool, device=out_left.device)
    logits = logits.masked_fill(self_mask, float("-inf"))
    partner = torch.arange(2 * N, device=out_left.device).add(N).remainder(2 * N)
    return F.cross_entropy(logits, partner)
'''),
    alt("vectorized_logsumexp", "loss_vectorized", '''
def simclr_loss_vectorized(out_left, out_right, tau):
    N = out_left.shape[0]
    out = torch.cat([out_left, out_right], dim=0)
    scaled = compute_sim_matrix(out) / tau
    keep = 1 - torch.eye(2 * N, device=out_left.device, dtype=scaled.dtype)
    log_denominator = torch.logsumexp(scaled + torch.log(keep), dim=1)
    positive = sim_positive_pairs(out_left, out_right).reshape(-1) / tau
    return (log_denominator - positive.repeat(2)).mean()
'''),
    alt("vectorized_without_the_helpers", "loss_vectorized", '''
import torch.nn.functional as F


def simclr_loss_vectorized(out_left, out_right, tau):
    z = F.normalize(torch.cat([out_left, out_right]), dim=1)
    n = len(out_left)
    logits = z @ z.T / tau
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool, device=z.device), -float("inf"))
    partners = torch.cat([torch.diagonal(logits, n), torch.diagonal(logits, -n)])
    return (torch.logsumexp(logits, dim=1) - partners).mean()
'''),
    alt("train_one_batch_of_both_views", "train_step", '''
def train(model, data_loader, optimizer, temperature=0.5, device="cpu"):
    """One epoch of SimCLR training; returns the average loss per image."""
    model.train()
    losses, sizes = [], []
    for x_i, x_j, _ in data_loader:
        optimizer.zero_grad(set_to_none=True)
        both = torch.cat([x_i, x_j]).to(device)
        z = model(both)[1]
        out_left, out_right = z.chunk(2)
        loss = simclr_loss_vectorized(out_left, out_right, tau=temperature)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        sizes.append(len(x_i))
    return sum(l * n for l, n in zip(losses, sizes)) / sum(sizes)
'''),
]
