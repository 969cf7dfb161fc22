"""The demo's partly-right hw3_simclr student: applied the colour jitter to every view, forgot
the temperature in the numerator of the vectorized loss, and left `train` unwritten (so the
training epoch and the linear evaluation after it fail too).

`PARTLY` = (student id, {notebook: {answer grade_id: new source, or (old, new) in the
reference}}, notebooks not handed in); read by `examples/make_submissions.py`.
"""

PARTLY = ("partly_right", {
    "hw3_simclr.ipynb": {
        "train_transform": ("transforms.RandomApply([color_jitter], p=0.8)", "color_jitter"),
        "loss_vectorized": ("torch.cat([positive, positive], dim=0) / tau)", "torch.cat([positive, positive], dim=0))"),
        "train_step": '''def train(model, data_loader, optimizer, temperature=0.5, device="cpu"):
    """One epoch of SimCLR training; returns the average loss per image."""
    model.train()
    total_loss, total_num = 0.0, 0
    for x_i, x_j, _ in data_loader:
        x_i, x_j = x_i.to(device), x_j.to(device)
        loss = None
        # YOUR CODE HERE
        raise NotImplementedError()
        total_num += len(x_i)
        total_loss += loss.item() * len(x_i)
    return total_loss / total_num''',
    },
}, ())
