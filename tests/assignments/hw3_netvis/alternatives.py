"""Alternative correct answers for hw3_netvis, each in a style unlike the reference."""

from seeded import alternative_maker

alt = alternative_maker("hw3_netvis")

ALTERNATIVES = [
    alt("saliency_one_image_at_a_time", "compute_saliency_maps", '''
def compute_saliency_maps(X, y, model):
    """Saliency maps of the correct class, one image at a time with torch.autograd.grad."""
    maps = []
    for image, label in zip(X, y):
        image = image.detach().unsqueeze(0).requires_grad_()
        score = model(image)[0, int(label)]
        (grad,) = torch.autograd.grad(score, image)
        maps.append(torch.max(torch.abs(grad[0]), dim=0).values)
    return torch.stack(maps)
'''),
    alt("saliency_one_hot_mask", "compute_saliency_maps", '''
import torch.nn.functional as F


def compute_saliency_maps(X, y, model):
    # The correct class's score of every image, picked with a one-hot mask; one backward pass.
    inputs = X.clone().detach()
    inputs.requires_grad = True
    logits = model(inputs)
    mask = F.one_hot(y, num_classes=logits.shape[1]).to(logits.dtype)
    (logits * mask).sum().backward()
    magnitude = inputs.grad.detach().abs()
    best, _ = magnitude.max(dim=1)
    return best
'''),
    alt("saliency_vmap_of_per_image_gradients", "compute_saliency_maps", '''
from torch.func import grad, vmap


def compute_saliency_maps(X, y, model):
    """torch.func: the gradient of one image's own score, mapped over the batch."""
    def own_score(image, label):
        return model(image.unsqueeze(0))[0].gather(0, label.view(1))[0]

    per_image = vmap(grad(own_score))(X.detach(), y)
    return per_image.abs().amax(dim=1)
'''),
    alt("fooling_functional_steps", "make_fooling_image", '''
def make_fooling_image(X, target_y, model, learning_rate=1.0, max_iter=100):
    """Gradient ascent on the target score with steps of fixed length; a new tensor every step."""
    X_fooling = X.detach().clone()
    steps = 0
    while steps < max_iter:
        current = X_fooling.clone().requires_grad_(True)
        out = model(current)
        if int(torch.argmax(out[0])) == target_y:
            break
        (grad,) = torch.autograd.grad(out[0, target_y], current)
        X_fooling = X_fooling + learning_rate * grad / torch.linalg.vector_norm(grad)
        steps += 1
    return X_fooling.detach()
'''),
    alt("fooling_grad_set_to_none", "make_fooling_image", '''
def make_fooling_image(X, target_y, model, learning_rate=1.0, max_iter=100):
    X_fooling = X.detach().clone().requires_grad_(True)
    for i in range(max_iter):
        X_fooling.grad = None
        scores = model(X_fooling)
        _, predicted = scores.max(dim=1)
        if predicted.item() == target_y:
            print(f"fooled after {i} steps")
            break
        target_score = scores.gather(1, torch.tensor([[target_y]], device=X.device)).sum()
        target_score.backward()
        grad = X_fooling.grad
        X_fooling.data.add_(grad * (learning_rate / grad.pow(2).sum().sqrt()))
    return X_fooling.detach()
'''),
    alt("fooling_checks_under_no_grad", "make_fooling_image", '''
def make_fooling_image(X, target_y, model, learning_rate=1.0, max_iter=100):
    # Ask for the prediction without building a graph; a second forward pass gives the gradient.
    X_fooling = X.detach().clone()
    for step in range(max_iter):
        with torch.no_grad():
            if model(X_fooling).argmax(dim=1).item() == target_y:
                return X_fooling
        x = X_fooling.clone().requires_grad_(True)
        model(x)[0, target_y].backward()
        X_fooling = (X_fooling + learning_rate * x.grad / x.grad.norm()).detach()
    return X_fooling
'''),
    alt("classvis_autograd_grad", "class_visualization_update_step", '''
def class_visualization_update_step(img, model, target_y, l2_reg, learning_rate):
    """One ascent step with torch.autograd.grad (img.grad is never filled, so nothing to clear)."""
    penalty = l2_reg * img.pow(2).sum()
    objective = model(img)[:, target_y].sum() - penalty
    (grad,) = torch.autograd.grad(objective, img)
    img.data.add_(learning_rate * grad / torch.linalg.vector_norm(grad))
'''),
    alt("classvis_grad_cleared_with_none", "class_visualization_update_step", '''
def class_visualization_update_step(img, model, target_y, l2_reg, learning_rate):
    img.grad = None
    score = model(img)[0, target_y]
    loss = l2_reg * torch.linalg.norm(img) ** 2 - score  # minimize the negative objective
    loss.backward()
    with torch.no_grad():
        direction = -img.grad
        img.add_(direction, alpha=learning_rate / float(direction.norm()))
    img.grad = None
'''),
    alt("classvis_penalty_gradient_by_hand", "class_visualization_update_step", '''
def class_visualization_update_step(img, model, target_y, l2_reg, learning_rate):
    # Autograd for the score only; the penalty's gradient, 2 * l2_reg * img, written out.
    (score_grad,) = torch.autograd.grad(model(img)[0, target_y], img)
    with torch.no_grad():
        ascent = score_grad - 2 * l2_reg * img
        img.add_(ascent * (learning_rate / ascent.norm()))
'''),
]
