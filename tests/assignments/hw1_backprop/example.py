"""The demo's partly-right hw1_backprop student: the weight gradient of the linear layer
transposed, and ReLU's gradient passed on the wrong side of zero.

`PARTLY` = (student id, {notebook: {answer grade_id: new source, or (old, new) in the
reference}}, notebooks not handed in); read by `examples/make_submissions.py`.
"""

PARTLY = ("partly_wrong", {"hw1_backprop.ipynb": {
    "linear_function": ("grad_output.T @ x", "x.T @ grad_output"),
    "relu_function": ("grad_output * (x > 0)", "grad_output * (x < 0)"),
}}, ())
