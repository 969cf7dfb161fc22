"""Seeded bugs for hw3_netvis (see `seeded` and `contract` for how they are used).

Each answer is a function the hidden tests call directly, with their own inputs, so a
bug costs its own test's points. The one exception: the class-visualization run (a given
loop around the student's update step) also sees the update step's mistakes.
"""

from __future__ import annotations

from seeded import bug_maker

_bug = bug_maker("hw3_netvis", {"class_visualization_update_step": {"test_class_visualization"}})

SALIENCY = {"test_saliency"}
FOOLING = {"test_fooling"}
STEP = {"test_class_vis_step"}

BUGS = [
    # compute_saliency_maps
    _bug("saliency_signed_gradient", "compute_saliency_maps", SALIENCY,
         ("images.grad.abs().amax(dim=1)", "images.grad.amax(dim=1)")),
    _bug("saliency_max_over_the_batch", "compute_saliency_maps", SALIENCY,
         ("images.grad.abs().amax(dim=1)", "images.grad.abs().amax(dim=0)")),
    _bug("saliency_of_probabilities", "compute_saliency_maps", SALIENCY,
         ("scores = model(images)", "scores = model(images).softmax(dim=1)")),
    _bug("saliency_of_every_score", "compute_saliency_maps", SALIENCY,
         ("correct.sum().backward()", "scores.sum().backward()")),
    _bug("saliency_sums_the_channels", "compute_saliency_maps", SALIENCY,
         ("images.grad.abs().amax(dim=1)", "images.grad.abs().sum(dim=1)")),
    _bug("saliency_gradient_piles_up_on_the_input", "compute_saliency_maps", SALIENCY,
         ("images = X.detach().clone().requires_grad_(True)", "images = X.requires_grad_(True)")),
    # make_fooling_image
    _bug("fooling_descends", "make_fooling_image", FOOLING,
         ("X_fooling += learning_rate", "X_fooling -= learning_rate")),
    _bug("fooling_unnormalized_step", "make_fooling_image", FOOLING,
         ("learning_rate * g / g.norm()", "learning_rate * g")),
    _bug("fooling_gradient_not_zeroed", "make_fooling_image", FOOLING,
         ("            X_fooling.grad.zero_()\n", "")),
    _bug("fooling_never_stops", "make_fooling_image", FOOLING,
         ("            break\n", "            pass\n")),
    _bug("fooling_of_probabilities", "make_fooling_image", FOOLING,
         ("scores[0, target_y].backward()", "scores.softmax(dim=1)[0, target_y].backward()")),
    _bug("fooling_l1_normalized", "make_fooling_image", FOOLING,
         ("g / g.norm()", "g / g.abs().sum()")),
    # class_visualization_update_step
    _bug("classvis_rewards_large_pixels", "class_visualization_update_step", STEP,
         ("- l2_reg * (img * img).sum()", "+ l2_reg * (img * img).sum()")),
    _bug("classvis_descends", "class_visualization_update_step", STEP,
         ("img += learning_rate", "img -= learning_rate")),
    _bug("classvis_gradient_not_zeroed", "class_visualization_update_step", STEP,
         ("\n        img.grad.zero_()", "")),
    _bug("classvis_unnormalized_step", "class_visualization_update_step", STEP,
         ("learning_rate * g / g.norm()", "learning_rate * g")),
    _bug("classvis_penalty_not_squared", "class_visualization_update_step", STEP,
         ("l2_reg * (img * img).sum()", "l2_reg * img.norm()")),
    _bug("classvis_scores_after_softmax", "class_visualization_update_step", STEP,
         ("model(img)[0, target_y]", "model(img).softmax(dim=1)[0, target_y]")),
]
