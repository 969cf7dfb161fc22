"""Seeded bugs for hw3_captioning (see `seeded` and `contract` for how they are used), each
with the points it loses in each test it must fail.

A hidden test of a function that calls another exercise's function also runs it on the
stand-ins of `helpers.captioning.standins` and `torch_standins` (sequences on a stand-in
step, the model on stand-in layers, sampling on a stand-in step, the Transformer on
stand-in attention and positional encoding), so such a bug costs only its own test. Two
kinds of test still see another answer's mistakes, and are listed as collateral: a
backward pass is checked on the cache its own forward pass made (the cache's layout is the
student's choice), and the overfitting runs train the student's whole model.
"""

from __future__ import annotations

from seeded import bug_maker, kernel_exit

OVERFIT = {"test_rnn_overfit", "test_lstm_overfit", "test_tf_overfit"}
_COLLATERAL = {
    "rnn_step_forward": {"test_rnn_step_backward"} | OVERFIT,
    "rnn_step_backward": OVERFIT, "rnn_backward": OVERFIT, "word_embedding_backward": OVERFIT,
    "rnn_forward": {"test_rnn_backward"} | OVERFIT,
    "word_embedding_forward": {"test_word_embedding_backward"} | OVERFIT,
    "captioning_rnn": OVERFIT,
    "lstm_step_forward": {"test_lstm_step_backward"} | OVERFIT,
    "lstm_step_backward": OVERFIT, "lstm_backward": OVERFIT,
    "lstm_forward": {"test_lstm_backward"} | OVERFIT,
    "lstm_captioning_model": OVERFIT,
    "multi_head_attention": OVERFIT, "positional_encoding": OVERFIT, "captioning_transformer": OVERFIT,
}
_bug = bug_maker("hw3_captioning", _COLLATERAL)

_PRE = "x @ Wx + prev_h @ Wh + b"
RNN_LOSS = {"test_rnn_model_loss": 2, "test_rnn_model_gradients": 3}
LSTM_STEP = "lstm_step_forward(x[:, t], prev_h, prev_c, Wx, Wh, b)"

BUGS = [
    # rnn_captioning.ipynb
    _bug("rnn_sigmoid_not_tanh", "rnn_step_forward", {"test_rnn_step_forward": 2},
         (f"np.tanh({_PRE})", f"1.0 / (1.0 + np.exp(-({_PRE})))")),
    _bug("rnn_no_bias", "rnn_step_forward", {"test_rnn_step_forward": 2}, (_PRE, "x @ Wx + prev_h @ Wh")),
    _bug("rnn_transposed_Wh", "rnn_step_forward", {"test_rnn_step_forward": 2}, ("prev_h @ Wh", "prev_h @ Wh.T")),
    _bug("rnn_no_tanh_derivative", "rnn_step_backward", {"test_rnn_step_backward": 2},
         ("da = dnext_h * (1.0 - next_h ** 2)", "da = dnext_h")),
    _bug("rnn_wrong_tanh_derivative", "rnn_step_backward", {"test_rnn_step_backward": 2},
         ("(1.0 - next_h ** 2)", "(1.0 - next_h)")),
    _bug("rnn_db_averaged", "rnn_step_backward", {"test_rnn_step_backward": 1},
         ("db = da.sum(axis=0)", "db = da.mean(axis=0)")),
    _bug("rnn_dWh_transposed", "rnn_step_backward", {"test_rnn_step_backward": 1},
         ("dWh = prev_h.T @ da", "dWh = (prev_h.T @ da).T")),
    _bug("rnn_stores_previous_state", "rnn_forward", {"test_rnn_forward": 2},
         ("prev, step_cache = rnn_step_forward(x[:, t], prev, Wx, Wh, b)\n        h[:, t] = prev",
          "h[:, t] = prev\n        prev, step_cache = rnn_step_forward(x[:, t], prev, Wx, Wh, b)")),
    _bug("rnn_always_from_h0", "rnn_forward", {"test_rnn_forward": 2},
         ("rnn_step_forward(x[:, t], prev,", "rnn_step_forward(x[:, t], h0,")),
    _bug("rnn_reads_sequence_backwards", "rnn_forward", {"test_rnn_forward": 2},
         ("rnn_step_forward(x[:, t],", "rnn_step_forward(x[:, T - 1 - t],")),
    _bug("rnn_no_gradient_through_time", "rnn_backward", {"test_rnn_backward": 3},
         ("rnn_step_backward(dh[:, t] + dprev, steps[t])", "rnn_step_backward(dh[:, t], steps[t])")),
    _bug("rnn_weights_not_accumulated", "rnn_backward", {"test_rnn_backward": 1}, ("dWx += dWx_t", "dWx = dWx_t")),
    _bug("rnn_backward_in_forward_order", "rnn_backward", {"test_rnn_backward": 3},
         ("for t in reversed(range(T)):", "for t in range(T):")),
    _bug("rnn_dh0_from_loss_only", "rnn_backward", {"test_rnn_backward": 1}, ("dh0 = dprev", "dh0 = dh[:, 0]")),
    _bug("embedding_transposed_ids", "word_embedding_forward", {"test_word_embedding_forward": 1},
         ("out = W[x]", "out = W[x.T]")),
    _bug("embedding_ids_from_one", "word_embedding_forward", {"test_word_embedding_forward": 1},
         ("out = W[x]", "out = W[x - 1]")),
    _bug("embedding_wrong_axis", "word_embedding_forward", {"test_word_embedding_forward": 1},
         ("out = W[x]", "out = W[:, x]")),
    _bug("embedding_grad_overwrites", "word_embedding_backward", {"test_word_embedding_backward": 2},
         ("np.add.at(dW, x, dout)", "dW[x] = dout")),
    _bug("embedding_grad_buffered_add", "word_embedding_backward", {"test_word_embedding_backward": 2},
         ("np.add.at(dW, x, dout)", "dW[x] += dout")),
    _bug("embedding_grad_averaged", "word_embedding_backward", {"test_word_embedding_backward": 2},
         ("np.add.at(dW, x, dout)", "np.add.at(dW, x, dout / x.shape[0])")),
    _bug("loss_counts_padding", "captioning_rnn", RNN_LOSS,
         ("temporal_softmax_loss(scores, captions_out, mask)", "temporal_softmax_loss(scores, captions_out, np.ones_like(mask))")),
    _bug("loss_predicts_current_word", "captioning_rnn", RNN_LOSS,
         ("temporal_softmax_loss(scores, captions_out, mask)", "temporal_softmax_loss(scores, captions_in, mask)")),
    _bug("loss_tanh_on_h0", "captioning_rnn", RNN_LOSS,
         ('h0 = features @ p["W_proj"] + p["b_proj"]', 'h0 = np.tanh(features @ p["W_proj"] + p["b_proj"])')),
    _bug("sample_always_feeds_start", "captioning_rnn", {"test_rnn_sample": 1},
         ('x = p["W_embed"][word]', 'x = p["W_embed"][np.full(N, self._start)]')),
    _bug("sample_from_zero_state", "captioning_rnn", {"test_rnn_sample": 2},
         ('h = features @ p["W_proj"] + p["b_proj"]', 'h = np.zeros((N, p["Wh"].shape[0]))')),
    _bug("sample_argmax_wrong_axis", "captioning_rnn", {"test_rnn_sample": 2},
         (".argmax(axis=1)", ".argmax(axis=0)")),
    # lstm_captioning.ipynb
    _bug("lstm_tanh_output_gate", "lstm_step_forward", {"test_lstm_step_forward": 1},
         ("o = sigmoid(a[:, 2 * H:3 * H])", "o = np.tanh(a[:, 2 * H:3 * H])")),
    _bug("lstm_gates_swapped", "lstm_step_forward", {"test_lstm_step_forward": 2},
         ("i = sigmoid(a[:, :H])\n    f = sigmoid(a[:, H:2 * H])", "f = sigmoid(a[:, :H])\n    i = sigmoid(a[:, H:2 * H])")),
    _bug("lstm_no_tanh_on_cell", "lstm_step_forward", {"test_lstm_step_forward": 1},
         ("next_h = o * tanh_c", "next_h = o * next_c")),
    _bug("lstm_forget_gate_ignored", "lstm_step_forward", {"test_lstm_step_forward": 2},
         ("next_c = f * prev_c + i * g", "next_c = prev_c + i * g")),
    _bug("lstm_drops_dnext_c", "lstm_step_backward", {"test_lstm_step_backward": 3},
         ("dc = dnext_c + dnext_h", "dc = dnext_h")),
    _bug("lstm_dprev_c_ungated", "lstm_step_backward", {"test_lstm_step_backward": 1},
         ("dprev_c = dc * f", "dprev_c = dc")),
    _bug("lstm_wrong_sigmoid_derivative", "lstm_step_backward", {"test_lstm_step_backward": 2},
         ("df * f * (1 - f)", "df * (1 - f ** 2)")),
    _bug("lstm_cell_not_carried", "lstm_forward", {"test_lstm_forward": 2},
         (f"prev_h, prev_c, step_cache = {LSTM_STEP}", f"prev_h, _, step_cache = {LSTM_STEP}")),
    _bug("lstm_cell_starts_at_h0", "lstm_forward", {"test_lstm_forward": 2},
         ("prev_h, prev_c = h0, np.zeros_like(h0)", "prev_h, prev_c = h0, h0")),
    _bug("lstm_returns_cell_states", "lstm_forward", {"test_lstm_forward": 2}, ("h[:, t] = prev_h", "h[:, t] = prev_c")),
    _bug("lstm_cell_gradient_dropped", "lstm_backward", {"test_lstm_backward": 3},
         ("lstm_step_backward(dh[:, t] + dprev_h, dprev_c, steps[t])",
          "lstm_step_backward(dh[:, t] + dprev_h, np.zeros_like(dprev_c), steps[t])")),
    _bug("lstm_no_hidden_gradient_through_time", "lstm_backward", {"test_lstm_backward": 3},
         ("lstm_step_backward(dh[:, t] + dprev_h,", "lstm_step_backward(dh[:, t],")),
    _bug("lstm_weights_not_accumulated", "lstm_backward", {"test_lstm_backward": 1}, ("dWh += dWh_t", "dWh = dWh_t")),
    _bug("lstm_model_counts_padding", "lstm_captioning_model", {"test_lstm_model_loss": 2},
         ("temporal_softmax_loss(scores, captions_out, mask)", "temporal_softmax_loss(scores, captions_out, np.ones_like(mask))")),
    _bug("lstm_model_rnn_backward", "lstm_captioning_model", {"test_lstm_model_loss": 2},
         ('grads["b"] = lstm_backward(dh, rec_cache)', 'grads["b"] = rnn_backward(dh, rec_cache)')),
    _bug("lstm_model_no_embedding_grad", "lstm_captioning_model", {"test_lstm_model_loss": 1},
         ('grads["W_embed"] = word_embedding_backward(dx, embed_cache)', 'grads["W_embed"] = np.zeros_like(p["W_embed"])')),
    _bug("lstm_sample_cell_not_carried", "lstm_captioning_model", {"test_lstm_sample": 1},
         ('h, c, _ = lstm_step_forward(x, h, c, p["Wx"], p["Wh"], p["b"])',
          'h, _, _ = lstm_step_forward(x, h, c, p["Wx"], p["Wh"], p["b"])')),
    _bug("lstm_sample_cell_starts_at_h", "lstm_captioning_model", {"test_lstm_sample": 2},
         ("c = np.zeros_like(h)", "c = h.copy()")),
    _bug("lstm_sample_squashed_start", "lstm_captioning_model", {"test_lstm_sample": 2},
         ('h = features @ p["W_proj"] + p["b_proj"]', 'h = np.tanh(features @ p["W_proj"] + p["b_proj"])')),
    # transformer_captioning.ipynb
    _bug("attention_unscaled", "multi_head_attention", {"test_tf_attention": 4}, (" / math.sqrt(d)", "")),
    _bug("attention_mask_ignored", "multi_head_attention", {"test_tf_attention": 2},
         ('scores = scores.masked_fill(~attn_mask.bool(), float("-inf"))', "scores = scores")),
    _bug("attention_mask_inverted", "multi_head_attention", {"test_tf_attention": 2},
         ("~attn_mask.bool()", "attn_mask.bool()")),
    _bug("attention_softmax_over_queries", "multi_head_attention", {"test_tf_attention": 4},
         ("torch.softmax(scores, dim=-1)", "torch.softmax(scores, dim=-2)")),
    _bug("attention_heads_not_transposed_back", "multi_head_attention", {"test_tf_attention": 4},
         ("(weights @ v).transpose(1, 2).reshape(N, S, E)", "(weights @ v).reshape(N, S, E)")),
    _bug("attention_scaled_by_full_width", "multi_head_attention", {"test_tf_attention": 4},
         ("math.sqrt(d)", "math.sqrt(E)")),
    _bug("encoding_sin_cos_swapped", "positional_encoding", {"test_tf_positional": 2},
         ("pe[0, :, 0::2] = torch.sin(position * rates)\n        pe[0, :, 1::2] = torch.cos(position * rates)",
          "pe[0, :, 0::2] = torch.cos(position * rates)\n        pe[0, :, 1::2] = torch.sin(position * rates)")),
    _bug("encoding_wrong_frequencies", "positional_encoding", {"test_tf_positional": 2},
         ("torch.arange(0, embed_dim, 2, dtype=torch.float32)", "torch.arange(0, embed_dim // 2, dtype=torch.float32)")),
    _bug("encoding_positions_from_one", "positional_encoding", {"test_tf_positional": 2},
         ("self.pe[:, :S]", "self.pe[:, 1:S + 1]")),
    _bug("decoder_without_causal_mask", "captioning_transformer", {"test_tf_forward": 2},
         ("out = layer(out, image, tgt_mask=causal)", "out = layer(out, image)")),
    _bug("decoder_mask_sees_the_future", "captioning_transformer", {"test_tf_forward": 2}, ("torch.tril(", "torch.triu(")),
    _bug("decoder_without_positions", "captioning_transformer", {"test_tf_forward": 3},
         ("words = self.positional_encoding(self.embedding(captions))", "words = self.embedding(captions)")),
    # The kernel dies at the start of rnn_forward: the grader restarts it and goes on, so only
    # the tests that run rnn_forward lose points: its own, rnn_backward's (which runs it for the
    # cache) and the overfitting run (which trains the whole model).
    kernel_exit(_bug, "rnn_forward", {"test_rnn_forward": 2, "test_rnn_backward": 3, "test_rnn_overfit": 2}),
]


# The LSTM notebook asks students to paste their word embedding from part 1; it is graded
# there (rnn_captioning's tests), and the LSTM model's tests also run on a stand-in lookup.
NOT_GRADED_HERE = {"lstm_word_embedding": "a copy of word_embedding_forward/backward, graded in rnn_captioning"}
