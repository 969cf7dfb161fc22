"""Seeded bugs for hw3_netvis (see `seeded` and `contract` for how they are used).

Each answer is a function the hidden tests call directly, with their own inputs, so a
bug costs only its own test's points: as many as the observations it spoils, declared
per bug as measured in sample mode. There the network has one channel, so a sum over the
channels equals their maximum and only the small three-channel test network sees it. The
one exception: the class-visualization run (a given loop around the student's update
step) also sees the update step's mistakes.

The observations (points): test_saliency: the notebook's network called twice, input
unchanged (1), a float64 copy for the correct labels (1) and for other labels (1), a
three-channel network (1); test_fooling: fooled on the notebook's network, no farther
than needed, input unchanged (1), three float64 runs (1 each); test_class_vis_step: one
float64 step (1), a second step on the same tensor (1), ten steps raise the score (1).
"""

from __future__ import annotations

from seeded import bug_maker, kernel_exit

_bug = bug_maker("hw3_netvis", {"class_visualization_update_step": {"test_class_visualization"}})

BUGS = [
    # compute_saliency_maps
    _bug("saliency_signed_gradient", "compute_saliency_maps", {"test_saliency": 4},
         ("images.grad.abs().amax(dim=1)", "images.grad.amax(dim=1)")),
    _bug("saliency_max_over_the_batch", "compute_saliency_maps", {"test_saliency": 4},
         ("images.grad.abs().amax(dim=1)", "images.grad.abs().amax(dim=0)")),
    _bug("saliency_of_probabilities", "compute_saliency_maps", {"test_saliency": 4},
         ("scores = model(images)", "scores = model(images).softmax(dim=1)")),
    _bug("saliency_of_every_score", "compute_saliency_maps", {"test_saliency": 4},
         ("correct.sum().backward()", "scores.sum().backward()")),
    _bug("saliency_sums_the_channels", "compute_saliency_maps", {"test_saliency": 1},
         ("images.grad.abs().amax(dim=1)", "images.grad.abs().sum(dim=1)")),
    _bug("saliency_gradient_piles_up_on_the_input", "compute_saliency_maps", {"test_saliency": 1},
         ("images = X.detach().clone().requires_grad_(True)", "images = X.requires_grad_(True)")),
    # make_fooling_image
    _bug("fooling_descends", "make_fooling_image", {"test_fooling": 4},
         ("X_fooling += learning_rate", "X_fooling -= learning_rate")),
    _bug("fooling_unnormalized_step", "make_fooling_image", {"test_fooling": 3},
         ("learning_rate * g / g.norm()", "learning_rate * g")),
    _bug("fooling_gradient_not_zeroed", "make_fooling_image", {"test_fooling": 3},
         ("            X_fooling.grad.zero_()\n", "")),
    _bug("fooling_never_stops", "make_fooling_image", {"test_fooling": 4},
         ("            break\n", "            pass\n")),
    _bug("fooling_of_probabilities", "make_fooling_image", {"test_fooling": 3},
         ("scores[0, target_y].backward()", "scores.softmax(dim=1)[0, target_y].backward()")),
    _bug("fooling_l1_normalized", "make_fooling_image", {"test_fooling": 4},
         ("g / g.norm()", "g / g.abs().sum()")),
    # `detach` alone shares the storage of X, so the steps change the caller's image too
    _bug("fooling_changes_the_given_image", "make_fooling_image", {"test_fooling": 1},
         ("X_fooling = X.detach().clone()", "X_fooling = X.detach()")),
    # class_visualization_update_step
    _bug("classvis_rewards_large_pixels", "class_visualization_update_step", {"test_class_vis_step": 2},
         ("- l2_reg * (img * img).sum()", "+ l2_reg * (img * img).sum()")),
    _bug("classvis_descends", "class_visualization_update_step", {"test_class_vis_step": 3},
         ("img += learning_rate", "img -= learning_rate")),
    _bug("classvis_gradient_not_zeroed", "class_visualization_update_step", {"test_class_vis_step": 1},
         ("\n        img.grad.zero_()", "")),
    _bug("classvis_unnormalized_step", "class_visualization_update_step", {"test_class_vis_step": 2},
         ("learning_rate * g / g.norm()", "learning_rate * g")),
    _bug("classvis_penalty_not_squared", "class_visualization_update_step", {"test_class_vis_step": 2},
         ("l2_reg * (img * img).sum()", "l2_reg * img.norm()")),
    _bug("classvis_scores_after_softmax", "class_visualization_update_step", {"test_class_vis_step": 2},
         ("model(img)[0, target_y]", "model(img).softmax(dim=1)[0, target_y]")),
    _bug("classvis_forgets_the_penalty", "class_visualization_update_step", {"test_class_vis_step": 2},
         ("objective = model(img)[0, target_y] - l2_reg * (img * img).sum()",
          "objective = model(img)[0, target_y]")),
    # The kernel dies in the middle of the notebook: only this answer's tests pay.
    kernel_exit(_bug, "make_fooling_image", {"test_fooling": 4}),
]
