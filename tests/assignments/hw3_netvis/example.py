"""The demo's partly-right hw3_netvis student: kept the gradient's sign in the saliency
maps (no absolute value) and took steps of the raw gradient's size in the fooling images.

`PARTLY` = (student id, {notebook: {answer grade_id: new source, or (old, new) in the
reference}}, notebooks not handed in); read by `examples/make_submissions.py`.
"""

PARTLY = ("partly_wrong", {
    "hw3_netvis.ipynb": {
        "compute_saliency_maps": ("images.grad.abs().amax(dim=1)", "images.grad.amax(dim=1)"),
        "make_fooling_image": ("learning_rate * g / g.norm()", "learning_rate * g"),
    },
}, ())
