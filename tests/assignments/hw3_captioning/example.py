"""The demo's partly-done hw3 student: forgot to add up the weight gradients over time in
rnn_backward, skipped the extra-credit LSTM notebook, and left the scaling out of attention.

`PARTLY` = (student id, {notebook: {answer grade_id: new source, or (old, new) in the
reference}}, notebooks not handed in); read by `examples/make_submissions.py`.
"""

PARTLY = ("partly_done", {
    "rnn_captioning.ipynb": {"rnn_backward": ("dWx += dWx_t", "dWx = dWx_t")},
    "transformer_captioning.ipynb": {"multi_head_attention": (" / math.sqrt(d)", "")},
}, ("lstm_captioning.ipynb",))
