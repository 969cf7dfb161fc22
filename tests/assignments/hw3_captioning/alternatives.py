"""Alternative correct answers for hw3_captioning, each in a style unlike the reference.

Written by an independent "student" who saw only the release notebooks and `helpers`.

A backward pass reads the cache of its own forward pass, and a cache's layout is the
student's choice, so some backward alternatives only work next to the forward
alternative that builds their cache. `NEEDS` maps each such alternative to the
alternatives it must be combined with (same notebook, one per answer cell). Every
alternative whose name ends in the same `_k<digit>` suffix belongs to one coherent
"student" k: submitting all alternatives with suffix k together (taking `_k0` for a
cell that has no `_k<digit>` of its own) is always consistent. Cells that read no
other cell's cache (forward passes, the model classes, the Transformer) work next to
any correct answer in the other cells.

`OPEN_CHOICES` lists the alternatives that take a side where the notebook text leaves
the choice open (or is silent); if a hidden test rejects one of them, the test (or the
text) is what needs a look.
"""
from seeded import alternative_maker

alt = alternative_maker("hw3_captioning")

ALTERNATIVES = [
    # ------------------------------------------------------------------ rnn_captioning
    alt("rnn_step_forward_einsum_dict_k0", "rnn_step_forward", '''
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One vanilla-RNN step: next_h = tanh(x Wx + prev_h Wh + b), plus a cache for backward."""
    pre = np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", prev_h, Wh) + b
    next_h = np.tanh(pre)
    cache = {"x": x, "prev_h": prev_h, "Wx": Wx, "Wh": Wh, "next_h": next_h}
    return next_h, cache
'''),
    alt("rnn_step_forward_stacked_float64_k1", "rnn_step_forward", '''
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One vanilla-RNN step: next_h = tanh(x Wx + prev_h Wh + b), plus a cache for backward."""
    dtype = np.result_type(x, prev_h, Wx, Wh, b)
    # one matrix product on [x | prev_h] against the stacked weights, in float64
    xh = np.concatenate([x, prev_h], axis=1).astype(np.float64)
    W = np.vstack([Wx, Wh]).astype(np.float64)
    out64 = np.tanh(xh @ W + np.asarray(b, dtype=np.float64))
    next_h = out64.astype(dtype)
    cache = (xh, W, out64, x.shape[1], dtype)
    return next_h, cache
'''),
    alt("rnn_step_forward_tensordot_preact_k2", "rnn_step_forward", '''
def rnn_step_forward(x, prev_h, Wx, Wh, b):
    """One vanilla-RNN step: next_h = tanh(x Wx + prev_h Wh + b), plus a cache for backward."""
    a = np.tensordot(x, Wx, axes=([1], [0]))
    a += np.tensordot(prev_h, Wh, axes=([1], [0]))
    a += b[None, :]
    next_h = np.tanh(a)
    cache = (x, prev_h, Wx, Wh, a)  # keep the pre-activation; backward recomputes tanh
    return next_h, cache
'''),

    alt("rnn_step_backward_einsum_dict_k0", "rnn_step_backward", '''
def rnn_step_backward(dnext_h, cache):
    """Gradients (dx, dprev_h, dWx, dWh, db) of one step, given dLoss/dnext_h."""
    da = dnext_h * (1.0 - cache["next_h"] ** 2)
    dx = np.einsum("nh,dh->nd", da, cache["Wx"])
    dprev_h = np.einsum("nh,kh->nk", da, cache["Wh"])
    dWx = np.einsum("nd,nh->dh", cache["x"], da)
    dWh = np.einsum("nk,nh->kh", cache["prev_h"], da)
    db = np.einsum("nh->h", da)
    return dx, dprev_h, dWx, dWh, db
'''),
    alt("rnn_step_backward_stacked_float64_k1", "rnn_step_backward", '''
def rnn_step_backward(dnext_h, cache):
    """Gradients (dx, dprev_h, dWx, dWh, db) of one step, given dLoss/dnext_h."""
    xh, W, out64, D, dtype = cache
    dtype = np.result_type(dtype, dnext_h)
    da = np.asarray(dnext_h, dtype=np.float64) * (1.0 - out64 * out64)
    dxh = da @ W.T
    dW = xh.T @ da
    dx, dprev_h = np.split(dxh, [D], axis=1)
    dWx, dWh = np.split(dW, [D], axis=0)
    db = da.sum(axis=0)
    return tuple(g.astype(dtype) for g in (dx, dprev_h, dWx, dWh, db))
'''),
    alt("rnn_step_backward_recompute_tanh_k2", "rnn_step_backward", '''
def rnn_step_backward(dnext_h, cache):
    """Gradients (dx, dprev_h, dWx, dWh, db) of one step, given dLoss/dnext_h."""
    x, prev_h, Wx, Wh, a = cache
    t = np.tanh(a)
    da = dnext_h - dnext_h * t * t
    dx = np.tensordot(da, Wx, axes=([1], [1]))
    dprev_h = np.tensordot(da, Wh, axes=([1], [1]))
    dWx = np.tensordot(x, da, axes=([0], [0]))
    dWh = np.tensordot(prev_h, da, axes=([0], [0]))
    db = np.add.reduce(da, axis=0)
    return dx, dprev_h, dWx, dWh, db
'''),

    alt("rnn_forward_list_stack_k0", "rnn_forward", '''
def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over a whole sequence x (N, T, D) from h0 (N, H); return h (N, T, H) and a cache."""
    states, steps = [], []
    h_t = h0
    for t in range(x.shape[1]):
        h_t, step_cache = rnn_step_forward(x[:, t, :], h_t, Wx, Wh, b)
        states.append(h_t)
        steps.append(step_cache)
    h = np.stack(states, axis=1)
    cache = steps
    return h, cache
'''),
    alt("rnn_forward_time_major_dict_k1", "rnn_forward", '''
def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over a whole sequence x (N, T, D) from h0 (N, H); return h (N, T, H) and a cache."""
    N, T, D = x.shape
    xs = np.transpose(x, (1, 0, 2))  # walk the sequence time-major
    outs, per_step = [], {}
    prev = h0
    for t, x_t in enumerate(xs):
        prev, per_step[t] = rnn_step_forward(x_t, prev, Wx, Wh, b)
        outs.append(prev)
    h = np.ascontiguousarray(np.transpose(np.array(outs), (1, 0, 2)))
    cache = {"steps": per_step, "T": T, "D": D}
    return h, cache
'''),
    alt("rnn_forward_prealloc_while_k2", "rnn_forward", '''
def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over a whole sequence x (N, T, D) from h0 (N, H); return h (N, T, H) and a cache."""
    N, T, _ = x.shape
    H = h0.shape[1]
    h = None
    caches = []
    prev_h = h0
    t = 0
    while t < T:
        next_h, c = rnn_step_forward(x[:, t], prev_h, Wx, Wh, b)
        if h is None:
            h = np.zeros((N, T, H), dtype=next_h.dtype)
        h[:, t] = next_h
        caches.append(c)
        prev_h = next_h
        t += 1
    cache = (tuple(caches), x.shape)
    return h, cache
'''),

    alt("rnn_backward_reversed_accumulate_k0", "rnn_backward", '''
def rnn_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) for the whole sequence, given dLoss/dh (N, T, H)."""
    steps = cache
    T = len(steps)
    dx_steps = [None] * T
    dWx = dWh = db = 0
    carry = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        dx_t, carry, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + carry, steps[t])
        dx_steps[t] = dx_t
        dWx = dWx + dWx_t
        dWh = dWh + dWh_t
        db = db + db_t
    dx = np.stack(dx_steps, axis=1)
    dh0 = carry
    return dx, dh0, dWx, dWh, db
'''),
    alt("rnn_backward_sum_lists_k1", "rnn_backward", '''
def rnn_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) for the whole sequence, given dLoss/dh (N, T, H)."""
    T = cache["T"]
    grads_x, grads_Wx, grads_Wh, grads_b = [], [], [], []
    dprev = 0.0
    for t in range(T - 1, -1, -1):
        g = rnn_step_backward(dh[:, t, :] + dprev, cache["steps"][t])
        grads_x.append(g[0])
        dprev = g[1]
        grads_Wx.append(g[2])
        grads_Wh.append(g[3])
        grads_b.append(g[4])
    dx = np.stack(grads_x[::-1], axis=1)
    dh0 = dprev
    dWx, dWh, db = (np.sum(gs, axis=0) for gs in (grads_Wx, grads_Wh, grads_b))
    return dx, dh0, dWx, dWh, db
'''),
    alt("rnn_backward_float64_accumulators_k2", "rnn_backward", '''
def rnn_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) for the whole sequence, given dLoss/dh (N, T, H)."""
    steps, (N, T, D) = cache
    dx = dWx = dWh = db = None
    dnext = np.zeros(dh.shape[::2], dtype=dh.dtype)  # (N, H)
    for t in range(T - 1, -1, -1):
        dx_t, dnext, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dnext, steps[t])
        if dx is None:
            dx = np.zeros((N, T, D), dtype=dx_t.dtype)
            dWx, dWh, db = (np.zeros(g.shape, dtype=np.float64) for g in (dWx_t, dWh_t, db_t))
            out_dtype = dWx_t.dtype
        dx[:, t] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dnext
    dWx, dWh, db = dWx.astype(out_dtype), dWh.astype(out_dtype), db.astype(out_dtype)
    return dx, dh0, dWx, dWh, db
'''),

    alt("word_embedding_forward_take_k0", "word_embedding_forward", '''
def word_embedding_forward(x, W):
    """Look up the vector of every word id in x (N, T) in W (V, D): out (N, T, D), and a cache."""
    out = np.take(W, x, axis=0)
    cache = (x, W.shape, W.dtype)
    return out, cache
'''),
    alt("word_embedding_forward_one_hot_k1", "word_embedding_forward", '''
def word_embedding_forward(x, W):
    """Look up the vector of every word id in x (N, T) in W (V, D): out (N, T, D), and a cache."""
    V = W.shape[0]
    one_hot = np.eye(V, dtype=W.dtype)[x]  # (N, T, V)
    out = one_hot @ W
    cache = one_hot
    return out, cache
'''),
    alt("word_embedding_forward_flat_k2", "word_embedding_forward", '''
def word_embedding_forward(x, W):
    """Look up the vector of every word id in x (N, T) in W (V, D): out (N, T, D), and a cache."""
    flat = np.asarray(x).reshape(-1)
    out = W[flat].reshape(*np.shape(x), W.shape[1])
    cache = {"ids": flat, "V": W.shape[0]}
    return out, cache
'''),

    alt("word_embedding_backward_bincount_k0", "word_embedding_backward", '''
def word_embedding_backward(dout, cache):
    """dLoss/dW (V, D): each word's row collects the gradients of every place it occurs."""
    x, (V, D), dtype = cache
    ids = x.ravel()
    g = dout.reshape(-1, D)
    dW = np.stack([np.bincount(ids, weights=g[:, d], minlength=V) for d in range(D)], axis=1)
    return dW.astype(np.result_type(dtype, dout))
'''),
    alt("word_embedding_backward_one_hot_matmul_k1", "word_embedding_backward", '''
def word_embedding_backward(dout, cache):
    """dLoss/dW (V, D): each word's row collects the gradients of every place it occurs."""
    one_hot = cache
    V, D = one_hot.shape[-1], dout.shape[-1]
    dW = one_hot.reshape(-1, V).T @ dout.reshape(-1, D)
    return dW
'''),
    alt("word_embedding_backward_sort_reduceat_k2", "word_embedding_backward", '''
def word_embedding_backward(dout, cache):
    """dLoss/dW (V, D): each word's row collects the gradients of every place it occurs."""
    ids, V = cache["ids"], cache["V"]
    rows = dout.reshape(ids.size, -1)
    dW = np.zeros((V, rows.shape[1]), dtype=dout.dtype)
    if ids.size == 0:
        return dW
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
    dW[sorted_ids[starts]] = np.add.reduceat(rows[order], starts, axis=0)
    return dW
'''),

    alt("word_embedding_forward_loops_k3", "word_embedding_forward", '''
def word_embedding_forward(x, W):
    """Look up the vector of every word id in x (N, T) in W (V, D): out (N, T, D), and a cache."""
    N, T = x.shape
    out = np.empty((N, T, W.shape[1]), dtype=W.dtype)
    for n in range(N):
        for t in range(T):
            out[n, t, :] = W[x[n, t], :]
    cache = (x, W.shape[0])
    return out, cache
'''),
    alt("word_embedding_backward_loops_k3", "word_embedding_backward", '''
def word_embedding_backward(dout, cache):
    """dLoss/dW (V, D): each word's row collects the gradients of every place it occurs."""
    x, V = cache
    dW = np.zeros((V, dout.shape[-1]), dtype=dout.dtype)
    for (n, t), word in np.ndenumerate(x):  # a plain loop adds repeated words up as well
        dW[word] += dout[n, t]
    return dW
'''),

    alt("captioning_rnn_einsum_named_steps_k0", "captioning_rnn", '''
class CaptioningRNN:
    """An image-captioning language model: the image feature sets the first hidden state,
    then a recurrent network reads the caption one word at a time and scores the next word."""

    def __init__(self, word_to_idx, input_dim=512, wordvec_dim=128, hidden_dim=128,
                 cell_type="rnn", dtype=np.float32):
        if cell_type not in ("rnn", "lstm"):
            raise ValueError(f'cell_type must be "rnn" or "lstm", not {cell_type!r}')
        self.cell_type, self.dtype = cell_type, dtype
        self.word_to_idx = word_to_idx
        self.idx_to_word = {i: w for w, i in word_to_idx.items()}
        self._null = word_to_idx["<NULL>"]
        self._start = word_to_idx.get("<START>")
        self._end = word_to_idx.get("<END>")
        V, D, W, H = len(word_to_idx), input_dim, wordvec_dim, hidden_dim
        gates = 4 if cell_type == "lstm" else 1  # an LSTM computes four gate pre-activations
        rng = np.random
        self.params = {
            "W_embed": rng.randn(V, W) / 100,
            "W_proj": rng.randn(D, H) / np.sqrt(D), "b_proj": np.zeros(H),
            "Wx": rng.randn(W, gates * H) / np.sqrt(W),
            "Wh": rng.randn(H, gates * H) / np.sqrt(H), "b": np.zeros(gates * H),
            "W_vocab": rng.randn(H, V) / np.sqrt(H), "b_vocab": np.zeros(V),
        }
        self.params = {k: v.astype(dtype) for k, v in self.params.items()}

    def loss(self, features, captions):
        """Training loss and gradients for image features (N, D) and captions (N, T + 1).

        The model reads captions[:, :-1] and learns to predict captions[:, 1:]; positions
        whose target is <NULL> count for nothing. Returns (loss, grads) with grads named
        like self.params.
        """
        captions_in, captions_out = captions[:, :-1], captions[:, 1:]
        mask = captions_out != self._null
        p = self.params
        loss, grads = 0.0, {}
        # forward, one named stage at a time
        h0 = np.einsum("nd,dh->nh", features, p["W_proj"]) + p["b_proj"]
        words, embed_cache = word_embedding_forward(captions_in, p["W_embed"])
        if self.cell_type == "rnn":
            states, seq_cache = rnn_forward(words, h0, p["Wx"], p["Wh"], p["b"])
        else:
            states, seq_cache = lstm_forward(words, h0, p["Wx"], p["Wh"], p["b"])
        scores, vocab_cache = temporal_affine_forward(states, p["W_vocab"], p["b_vocab"])
        loss, dscores = temporal_softmax_loss(scores, captions_out, mask)
        # backward, the same stages in reverse
        dstates, grads["W_vocab"], grads["b_vocab"] = temporal_affine_backward(dscores, vocab_cache)
        if self.cell_type == "rnn":
            dwords, dh0, grads["Wx"], grads["Wh"], grads["b"] = rnn_backward(dstates, seq_cache)
        else:
            dwords, dh0, grads["Wx"], grads["Wh"], grads["b"] = lstm_backward(dstates, seq_cache)
        grads["W_embed"] = word_embedding_backward(dwords, embed_cache)
        grads["W_proj"] = np.einsum("nd,nh->dh", features, dh0)
        grads["b_proj"] = np.einsum("nh->h", dh0)
        return loss, grads

    def sample(self, features, max_length=30):
        """Greedy captions for image features (N, D): start from <START>, feed each step's
        most likely word into the next. Returns word ids (N, max_length), <START> left out."""
        N = features.shape[0]
        captions = self._null * np.ones((N, max_length), dtype=np.int32)
        p = self.params
        h = features @ p["W_proj"] + p["b_proj"]
        c = np.zeros_like(h)
        word = np.full(N, self._start, dtype=np.int64)
        for t in range(max_length):
            vec, _ = word_embedding_forward(word[:, None], p["W_embed"])
            vec = vec[:, 0, :]
            if self.cell_type == "rnn":
                h, _ = rnn_step_forward(vec, h, p["Wx"], p["Wh"], p["b"])
            else:
                h, c, _ = lstm_step_forward(vec, h, c, p["Wx"], p["Wh"], p["b"])
            scores = h @ p["W_vocab"] + p["b_vocab"]
            word = np.argmax(scores, axis=1)
            captions[:, t] = word
        return captions
'''),
    alt("captioning_rnn_dispatch_table_k1", "captioning_rnn", '''
class CaptioningRNN:
    """An image-captioning language model: the image feature sets the first hidden state,
    then a recurrent network reads the caption one word at a time and scores the next word."""

    def __init__(self, word_to_idx, input_dim=512, wordvec_dim=128, hidden_dim=128,
                 cell_type="rnn", dtype=np.float32):
        if cell_type not in ("rnn", "lstm"):
            raise ValueError(f'cell_type must be "rnn" or "lstm", not {cell_type!r}')
        self.cell_type, self.dtype = cell_type, dtype
        self.word_to_idx = word_to_idx
        self.idx_to_word = {i: w for w, i in word_to_idx.items()}
        self._null = word_to_idx["<NULL>"]
        self._start = word_to_idx.get("<START>")
        self._end = word_to_idx.get("<END>")
        V, D, W, H = len(word_to_idx), input_dim, wordvec_dim, hidden_dim
        gates = 4 if cell_type == "lstm" else 1  # an LSTM computes four gate pre-activations
        rng = np.random
        self.params = {
            "W_embed": rng.randn(V, W) / 100,
            "W_proj": rng.randn(D, H) / np.sqrt(D), "b_proj": np.zeros(H),
            "Wx": rng.randn(W, gates * H) / np.sqrt(W),
            "Wh": rng.randn(H, gates * H) / np.sqrt(H), "b": np.zeros(gates * H),
            "W_vocab": rng.randn(H, V) / np.sqrt(H), "b_vocab": np.zeros(V),
        }
        self.params = {k: v.astype(dtype) for k, v in self.params.items()}

    def _layers(self):
        # names looked up when called, so whatever functions the notebook defines now are used
        # (the RNN notebook has no lstm_forward: only the branch taken is evaluated)
        return (rnn_forward, rnn_backward) if self.cell_type == "rnn" else (lstm_forward, lstm_backward)

    def loss(self, features, captions):
        """Training loss and gradients for image features (N, D) and captions (N, T + 1).

        The model reads captions[:, :-1] and learns to predict captions[:, 1:]; positions
        whose target is <NULL> count for nothing. Returns (loss, grads) with grads named
        like self.params.
        """
        captions_in, captions_out = captions[:, :-1], captions[:, 1:]
        mask = captions_out != self._null
        p = self.params
        loss, grads = 0.0, {}
        seq_forward, seq_backward = self._layers()
        # the projection is a one-step temporal affine layer
        h0_seq, proj_cache = temporal_affine_forward(features[:, None, :], p["W_proj"], p["b_proj"])
        x, emb_cache = word_embedding_forward(captions_in, p["W_embed"])
        h, rec_cache = seq_forward(x, h0_seq[:, 0, :], p["Wx"], p["Wh"], p["b"])
        out, out_cache = temporal_affine_forward(h, p["W_vocab"], p["b_vocab"])
        loss, dout = temporal_softmax_loss(out, captions_out, mask)

        dh, dW_vocab, db_vocab = temporal_affine_backward(dout, out_cache)
        dx, dh0, dWx, dWh, db = seq_backward(dh, rec_cache)
        dW_embed = word_embedding_backward(dx, emb_cache)
        _, dW_proj, db_proj = temporal_affine_backward(dh0[:, None, :], proj_cache)
        grads.update(W_embed=dW_embed, W_proj=dW_proj, b_proj=db_proj, Wx=dWx, Wh=dWh, b=db,
                     W_vocab=dW_vocab, b_vocab=db_vocab)
        return loss, grads

    def sample(self, features, max_length=30):
        """Greedy captions for image features (N, D): start from <START>, feed each step's
        most likely word into the next. Returns word ids (N, max_length), <START> left out."""
        N = features.shape[0]
        captions = self._null * np.ones((N, max_length), dtype=np.int32)
        p = self.params
        state = [np.dot(features, p["W_proj"]) + p["b_proj"]]
        if self.cell_type == "lstm":
            state.append(np.zeros_like(state[0]))
        previous = np.repeat(self._start, N)
        for t in range(max_length):
            x_t = p["W_embed"][previous]  # the embedding lookup, one word per image
            if self.cell_type == "rnn":
                state[0], _ = rnn_step_forward(x_t, state[0], p["Wx"], p["Wh"], p["b"])
            else:
                state[0], state[1], _ = lstm_step_forward(x_t, state[0], state[1],
                                                      p["Wx"], p["Wh"], p["b"])
            scores = np.dot(state[0], p["W_vocab"]) + p["b_vocab"]
            previous = scores.argmax(axis=1)
            captions[:, t] = previous
        return captions
'''),
    alt("captioning_rnn_null_after_end_k2", "captioning_rnn", '''
class CaptioningRNN:
    """An image-captioning language model: the image feature sets the first hidden state,
    then a recurrent network reads the caption one word at a time and scores the next word."""

    def __init__(self, word_to_idx, input_dim=512, wordvec_dim=128, hidden_dim=128,
                 cell_type="rnn", dtype=np.float32):
        if cell_type not in ("rnn", "lstm"):
            raise ValueError(f'cell_type must be "rnn" or "lstm", not {cell_type!r}')
        self.cell_type, self.dtype = cell_type, dtype
        self.word_to_idx = word_to_idx
        self.idx_to_word = {i: w for w, i in word_to_idx.items()}
        self._null = word_to_idx["<NULL>"]
        self._start = word_to_idx.get("<START>")
        self._end = word_to_idx.get("<END>")
        V, D, W, H = len(word_to_idx), input_dim, wordvec_dim, hidden_dim
        gates = 4 if cell_type == "lstm" else 1  # an LSTM computes four gate pre-activations
        rng = np.random
        self.params = {
            "W_embed": rng.randn(V, W) / 100,
            "W_proj": rng.randn(D, H) / np.sqrt(D), "b_proj": np.zeros(H),
            "Wx": rng.randn(W, gates * H) / np.sqrt(W),
            "Wh": rng.randn(H, gates * H) / np.sqrt(H), "b": np.zeros(gates * H),
            "W_vocab": rng.randn(H, V) / np.sqrt(H), "b_vocab": np.zeros(V),
        }
        self.params = {k: v.astype(dtype) for k, v in self.params.items()}

    def loss(self, features, captions):
        """Training loss and gradients for image features (N, D) and captions (N, T + 1).

        The model reads captions[:, :-1] and learns to predict captions[:, 1:]; positions
        whose target is <NULL> count for nothing. Returns (loss, grads) with grads named
        like self.params.
        """
        captions_in, captions_out = captions[:, :-1], captions[:, 1:]
        mask = captions_out != self._null
        p = self.params
        loss, grads = 0.0, {}
        lstm = self.cell_type == "lstm"
        h0 = np.tensordot(features, p["W_proj"], axes=1) + p["b_proj"]
        emb, c_emb = word_embedding_forward(captions_in, p["W_embed"])
        run = lstm_forward if lstm else rnn_forward
        hs, c_seq = run(emb, h0, p["Wx"], p["Wh"], p["b"])
        scores, c_aff = temporal_affine_forward(hs, p["W_vocab"], p["b_vocab"])
        loss, d_scores = temporal_softmax_loss(scores, captions_out, mask)
        d_hs, d_W_vocab, d_b_vocab = temporal_affine_backward(d_scores, c_aff)
        back = lstm_backward if lstm else rnn_backward
        d_emb, d_h0, d_Wx, d_Wh, d_b = back(d_hs, c_seq)
        grads = {
            "W_vocab": d_W_vocab, "b_vocab": d_b_vocab,
            "Wx": d_Wx, "Wh": d_Wh, "b": d_b,
            "W_embed": word_embedding_backward(d_emb, c_emb),
            "W_proj": np.tensordot(features, d_h0, axes=([0], [0])),
            "b_proj": d_h0.sum(axis=0),
        }
        return loss, grads

    def sample(self, features, max_length=30):
        """Greedy captions for image features (N, D): start from <START>, feed each step's
        most likely word into the next. Returns word ids (N, max_length), <START> left out."""
        N = features.shape[0]
        captions = self._null * np.ones((N, max_length), dtype=np.int32)
        p = self.params
        # A caption is finished once it has written <END>: later positions stay <NULL>,
        # and the loop stops as soon as every caption is finished.
        h = np.tensordot(features, p["W_proj"], axes=1) + p["b_proj"]
        c = np.zeros_like(h)
        prev = np.full((N,), self._start)
        done = np.zeros(N, dtype=bool)
        for t in range(max_length):
            x_t = p["W_embed"][prev]
            if self.cell_type == "lstm":
                h, c, _ = lstm_step_forward(x_t, h, c, p["Wx"], p["Wh"], p["b"])
            else:
                h, _ = rnn_step_forward(x_t, h, p["Wx"], p["Wh"], p["b"])
            prev = np.argmax(h @ p["W_vocab"] + p["b_vocab"], axis=1)
            captions[~done, t] = prev[~done]
            if self._end is not None:
                done |= prev == self._end
                if done.all():
                    break
        return captions
'''),

    # ------------------------------------------------------------------ lstm_captioning
    alt("lstm_word_embedding_take_bincount_k0", "lstm_word_embedding", '''
# Your word_embedding_forward and word_embedding_backward from rnn_captioning.ipynb.
def word_embedding_forward(x, W):
    """Look up the vector of every word id in x (N, T) in W (V, D): out (N, T, D), and a cache."""
    out = np.take(W, x, axis=0)
    cache = (x, W.shape, W.dtype)
    return out, cache


def word_embedding_backward(dout, cache):
    """dLoss/dW (V, D): each word's row collects the gradients of every place it occurs."""
    x, (V, D), dtype = cache
    ids = x.ravel()
    g = dout.reshape(-1, D)
    dW = np.stack([np.bincount(ids, weights=g[:, d], minlength=V) for d in range(D)], axis=1)
    return dW.astype(np.result_type(dtype, dout))
'''),
    alt("lstm_word_embedding_one_hot_k1", "lstm_word_embedding", '''
# Your word_embedding_forward and word_embedding_backward from rnn_captioning.ipynb.
def word_embedding_forward(x, W):
    """Look up the vector of every word id in x (N, T) in W (V, D): out (N, T, D), and a cache."""
    V = W.shape[0]
    one_hot = np.eye(V, dtype=W.dtype)[x]  # (N, T, V)
    out = one_hot @ W
    cache = one_hot
    return out, cache


def word_embedding_backward(dout, cache):
    """dLoss/dW (V, D): each word's row collects the gradients of every place it occurs."""
    one_hot = cache
    V, D = one_hot.shape[-1], dout.shape[-1]
    dW = one_hot.reshape(-1, V).T @ dout.reshape(-1, D)
    return dW
'''),
    alt("lstm_word_embedding_loop_k2", "lstm_word_embedding", '''
# Your word_embedding_forward and word_embedding_backward from rnn_captioning.ipynb.
def word_embedding_forward(x, W):
    """Look up the vector of every word id in x (N, T) in W (V, D): out (N, T, D), and a cache."""
    N, T = x.shape
    out = np.empty((N, T, W.shape[1]), dtype=W.dtype)
    for n in range(N):
        for t in range(T):
            out[n, t] = W[x[n, t]]
    return out, (x, W.shape[0])


def word_embedding_backward(dout, cache):
    """dLoss/dW (V, D): each word's row collects the gradients of every place it occurs."""
    x, V = cache
    dW = np.zeros((V, dout.shape[-1]), dtype=dout.dtype)
    for (n, t), word in np.ndenumerate(x):
        dW[word] += dout[n, t]
    return dW
'''),

    alt("lstm_step_forward_split_k0", "lstm_step_forward", '''
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step. Returns next_h, next_c and a cache for backward."""
    a = x @ Wx + prev_h @ Wh + b
    a_i, a_f, a_o, a_g = np.split(a, 4, axis=1)
    i, f, o, g = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o), np.tanh(a_g)
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    cache = (x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)
    return next_h, next_c, cache
'''),
    alt("lstm_step_forward_reshape_float64_k1", "lstm_step_forward", '''
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step. Returns next_h, next_c and a cache for backward."""
    dtype = np.result_type(x, prev_h, prev_c, Wx, Wh, b)
    N, H = prev_h.shape
    x64, h64, c64 = (np.asarray(v, dtype=np.float64) for v in (x, prev_h, prev_c))
    a = x64 @ Wx.astype(np.float64) + h64 @ Wh.astype(np.float64) + b.astype(np.float64)
    blocks = a.reshape(N, 4, H)  # gate k is columns k*H:(k+1)*H
    gates = np.empty_like(blocks)
    gates[:, :3] = sigmoid(blocks[:, :3])
    gates[:, 3] = np.tanh(blocks[:, 3])
    i, f, o, g = gates[:, 0], gates[:, 1], gates[:, 2], gates[:, 3]
    c_new = f * c64 + i * g
    h_new = o * np.tanh(c_new)
    cache = {"x": x64, "h": h64, "c": c64, "c_new": c_new, "gates": gates,
             "Wx": Wx.astype(np.float64), "Wh": Wh.astype(np.float64), "dtype": dtype}
    return h_new.astype(dtype), c_new.astype(dtype), cache
'''),
    alt("lstm_step_forward_einsum_preact_k2", "lstm_step_forward", '''
def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    """One LSTM step. Returns next_h, next_c and a cache for backward."""
    H = prev_h.shape[1]
    a = np.einsum("nd,dk->nk", x, Wx) + np.einsum("nh,hk->nk", prev_h, Wh) + b
    sig = sigmoid(a[:, : 3 * H])  # i, f and o in one go
    i, f, o = sig[:, :H], sig[:, H:2 * H], sig[:, 2 * H:]
    g = np.tanh(a[:, 3 * H:])
    next_c = prev_c * f + g * i
    next_h = np.tanh(next_c) * o
    cache = (x, prev_h, prev_c, Wx, Wh, a, next_c)
    return next_h, next_c, cache
'''),

    alt("lstm_step_backward_split_k0", "lstm_step_backward", '''
def lstm_step_backward(dnext_h, dnext_c, cache):
    """Gradients (dx, dprev_h, dprev_c, dWx, dWh, db) of one LSTM step."""
    x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c = cache
    dc = dnext_c + dnext_h * o * (1 - tanh_c ** 2)
    do = dnext_h * tanh_c
    di, df, dg = dc * g, dc * prev_c, dc * i
    dprev_c = dc * f
    da = np.hstack([di * i * (1 - i), df * f * (1 - f), do * o * (1 - o), dg * (1 - g ** 2)])
    dx = da @ Wx.T
    dprev_h = da @ Wh.T
    dWx = x.T @ da
    dWh = prev_h.T @ da
    db = da.sum(axis=0)
    return dx, dprev_h, dprev_c, dWx, dWh, db
'''),
    alt("lstm_step_backward_reshape_float64_k1", "lstm_step_backward", '''
def lstm_step_backward(dnext_h, dnext_c, cache):
    """Gradients (dx, dprev_h, dprev_c, dWx, dWh, db) of one LSTM step."""
    dh = np.asarray(dnext_h, dtype=np.float64)
    dc_in = np.asarray(dnext_c, dtype=np.float64)
    gates = cache["gates"]
    i, f, o, g = gates[:, 0], gates[:, 1], gates[:, 2], gates[:, 3]
    t = np.tanh(cache["c_new"])
    dc = dc_in + dh * o * (1.0 - t * t)
    dgates = np.stack([dc * g, dc * cache["c"], dh * t, dc * i], axis=1)  # d i, f, o, g
    slope = np.empty_like(gates)
    slope[:, :3] = gates[:, :3] * (1.0 - gates[:, :3])
    slope[:, 3] = 1.0 - g * g
    da = (dgates * slope).reshape(gates.shape[0], -1)  # (N, 4H), gate blocks in order
    out = (da @ cache["Wx"].T, da @ cache["Wh"].T, dc * f,
           cache["x"].T @ da, cache["h"].T @ da, da.sum(axis=0))
    dtype = np.result_type(cache["dtype"], dnext_h, dnext_c)
    return tuple(v.astype(dtype) for v in out)
'''),
    alt("lstm_step_backward_recompute_k2", "lstm_step_backward", '''
def lstm_step_backward(dnext_h, dnext_c, cache):
    """Gradients (dx, dprev_h, dprev_c, dWx, dWh, db) of one LSTM step."""
    x, prev_h, prev_c, Wx, Wh, a, next_c = cache
    H = prev_h.shape[1]
    i, f, o = (sigmoid(a[:, k * H:(k + 1) * H]) for k in range(3))
    g = np.tanh(a[:, 3 * H:])
    tc = np.tanh(next_c)
    dc_total = dnext_c + dnext_h * o * (1 - tc * tc)
    da = np.empty_like(a)
    da[:, :H] = dc_total * g * i * (1 - i)
    da[:, H:2 * H] = dc_total * prev_c * f * (1 - f)
    da[:, 2 * H:3 * H] = dnext_h * tc * o * (1 - o)
    da[:, 3 * H:] = dc_total * i * (1 - g * g)
    dx = np.einsum("nk,dk->nd", da, Wx)
    dprev_h = np.einsum("nk,hk->nh", da, Wh)
    dprev_c = f * dc_total
    dWx = np.einsum("nd,nk->dk", x, da)
    dWh = np.einsum("nh,nk->hk", prev_h, da)
    db = np.einsum("nk->k", da)
    return dx, dprev_h, dprev_c, dWx, dWh, db
'''),

    alt("lstm_forward_list_stack_k0", "lstm_forward", '''
def lstm_forward(x, h0, Wx, Wh, b):
    """Run an LSTM over x (N, T, D) from h0, with the cell state starting at zero."""
    h_t, c_t = h0, np.zeros_like(h0)
    outs, caches = [], []
    for t in range(x.shape[1]):
        h_t, c_t, step = lstm_step_forward(x[:, t, :], h_t, c_t, Wx, Wh, b)
        outs.append(h_t)
        caches.append(step)
    h = np.stack(outs, axis=1)
    cache = caches
    return h, cache
'''),
    alt("lstm_forward_time_major_k1", "lstm_forward", '''
def lstm_forward(x, h0, Wx, Wh, b):
    """Run an LSTM over x (N, T, D) from h0, with the cell state starting at zero."""
    N, T, D = x.shape
    H = h0.shape[1]
    state = (h0, np.zeros((N, H), dtype=h0.dtype))
    hs, steps = [], {}
    for t, x_t in enumerate(np.swapaxes(x, 0, 1)):
        h_t, c_t, steps[t] = lstm_step_forward(x_t, state[0], state[1], Wx, Wh, b)
        state = (h_t, c_t)
        hs.append(h_t)
    h = np.swapaxes(np.asarray(hs), 0, 1).copy()
    cache = {"steps": steps, "T": T}
    return h, cache
'''),
    alt("lstm_forward_prealloc_k2", "lstm_forward", '''
def lstm_forward(x, h0, Wx, Wh, b):
    """Run an LSTM over x (N, T, D) from h0, with the cell state starting at zero."""
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H), dtype=np.result_type(x, h0, Wx, Wh, b))
    prev_h, prev_c = h0, np.zeros((N, H), dtype=h.dtype)
    caches = []
    for t in range(T):
        prev_h, prev_c, c = lstm_step_forward(x[:, t], prev_h, prev_c, Wx, Wh, b)
        h[:, t] = prev_h
        caches.append(c)
    cache = (tuple(caches), D)
    return h, cache
'''),

    alt("lstm_backward_reversed_k0", "lstm_backward", '''
def lstm_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) of lstm_forward, given dLoss/dh (N, T, H)."""
    steps = cache
    T = len(steps)
    dxs = [None] * T
    dh_next = np.zeros_like(dh[:, 0])
    dc_next = np.zeros_like(dh[:, 0])  # nothing reaches the last cell state from later steps
    dWx = dWh = db = 0
    for t in reversed(range(T)):
        dxs[t], dh_next, dc_next, gWx, gWh, gb = lstm_step_backward(dh[:, t] + dh_next, dc_next, steps[t])
        dWx, dWh, db = dWx + gWx, dWh + gWh, db + gb
    dx = np.stack(dxs, axis=1)
    dh0 = dh_next
    return dx, dh0, dWx, dWh, db
'''),
    alt("lstm_backward_sum_lists_k1", "lstm_backward", '''
def lstm_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) of lstm_forward, given dLoss/dh (N, T, H)."""
    T = cache["T"]
    collected = {"x": [], "Wx": [], "Wh": [], "b": []}
    dh_carry, dc_carry = 0.0, 0.0
    for t in range(T - 1, -1, -1):
        dc_arg = dc_carry if t < T - 1 else np.zeros_like(dh[:, t])
        dx_t, dh_carry, dc_carry, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t] + dh_carry, dc_arg, cache["steps"][t])
        for key, value in zip(["x", "Wx", "Wh", "b"], [dx_t, dWx_t, dWh_t, db_t]):
            collected[key].append(value)
    dx = np.stack(collected["x"][::-1], axis=1)
    dWx, dWh, db = (np.sum(collected[k], axis=0) for k in ("Wx", "Wh", "b"))
    dh0 = dh_carry
    return dx, dh0, dWx, dWh, db
'''),
    alt("lstm_backward_prealloc_float64_k2", "lstm_backward", '''
def lstm_backward(dh, cache):
    """Gradients (dx, dh0, dWx, dWh, db) of lstm_forward, given dLoss/dh (N, T, H)."""
    steps, D = cache
    N, T, H = dh.shape
    dx = np.zeros((N, T, D), dtype=dh.dtype)
    acc = None
    dnext_h = np.zeros((N, H), dtype=dh.dtype)
    dnext_c = np.zeros((N, H), dtype=dh.dtype)
    for t in range(T - 1, -1, -1):
        g = lstm_step_backward(dh[:, t] + dnext_h, dnext_c, steps[t])
        dx[:, t], dnext_h, dnext_c = g[0], g[1], g[2]
        if acc is None:
            acc = [np.zeros(v.shape, dtype=np.float64) for v in g[3:]]
            out_dtype = g[3].dtype
        for total, part in zip(acc, g[3:]):
            total += part
    dWx, dWh, db = (a.astype(out_dtype) for a in acc)
    dh0 = dnext_h
    return dx, dh0, dWx, dWh, db
'''),
]

# The model cells are the same classes as captioning_rnn (they already carry both
# branches); the LSTM notebook's copy of the class is graded on its LSTM branch.
_MODEL_SOURCES = {a.name: a.text for a in ALTERNATIVES if a.cell == "captioning_rnn"}
ALTERNATIVES += [
    alt("lstm_captioning_model_einsum_named_steps_k0", "lstm_captioning_model",
        "# Fill in loss and sample as in rnn_captioning.ipynb (copy your code), then add the LSTM branch.\n"
        + _MODEL_SOURCES["captioning_rnn_einsum_named_steps_k0"]),
    alt("lstm_captioning_model_dispatch_table_k1", "lstm_captioning_model",
        _MODEL_SOURCES["captioning_rnn_dispatch_table_k1"]),
    alt("lstm_captioning_model_null_after_end_k2", "lstm_captioning_model",
        _MODEL_SOURCES["captioning_rnn_null_after_end_k2"]),
]

ALTERNATIVES += [
    # ------------------------------------------------------------------ transformer_captioning
    alt("multi_head_attention_einsum_neg_inf_k0", "multi_head_attention", '''
class MultiHeadAttention(nn.Module):
    """Multi-head scaled dot-product attention with an output projection.

    Inputs are (N, S, E) queries and (N, T, E) keys and values; `attn_mask` (S, T) is
    true where query position i may look at key position j.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.key = nn.Linear(embed_dim, embed_dim)
        self.query = nn.Linear(embed_dim, embed_dim)
        self.value = nn.Linear(embed_dim, embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)
        self.attn_drop = nn.Dropout(dropout)
        self.n_head = num_heads
        self.emd_dim = embed_dim
        self.head_dim = embed_dim // num_heads

    def forward(self, query, key, value, attn_mask=None):
        N, S, E = query.shape
        _, T, _ = value.shape
        output = None
        H, d = self.n_head, self.head_dim
        q = self.query(query).view(N, S, H, d)
        k = self.key(key).view(N, T, H, d)
        v = self.value(value).view(N, T, H, d)
        scores = torch.einsum("nshd,nthd->nhst", q, k) / math.sqrt(d)
        if attn_mask is not None:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        weights = self.attn_drop(torch.softmax(scores, dim=-1))
        heads = torch.einsum("nhst,nthd->nshd", weights, v)
        output = self.proj(heads.reshape(N, S, E))
        return output
'''),
    alt("multi_head_attention_baddbmm_large_negative_k1", "multi_head_attention", '''
class MultiHeadAttention(nn.Module):
    """Multi-head scaled dot-product attention with an output projection.

    Inputs are (N, S, E) queries and (N, T, E) keys and values; `attn_mask` (S, T) is
    true where query position i may look at key position j.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.key = nn.Linear(embed_dim, embed_dim)
        self.query = nn.Linear(embed_dim, embed_dim)
        self.value = nn.Linear(embed_dim, embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)
        self.attn_drop = nn.Dropout(dropout)
        self.n_head = num_heads
        self.emd_dim = embed_dim
        self.head_dim = embed_dim // num_heads

    def forward(self, query, key, value, attn_mask=None):
        N, S, E = query.shape
        _, T, _ = value.shape
        output = None
        H, d = self.n_head, self.head_dim

        def fold(t, length):  # (N, L, E) -> (N * H, L, d): heads into the batch dimension
            return t.reshape(N, length, H, d).permute(0, 2, 1, 3).reshape(N * H, length, d)

        q, k, v = fold(self.query(query), S), fold(self.key(key), T), fold(self.value(value), T)
        bias = torch.zeros(S, T, dtype=q.dtype, device=q.device)
        if attn_mask is not None:
            # a very large negative number instead of -inf: its exp is exactly 0 as well
            bias = bias.masked_fill(attn_mask.logical_not(), -1e30 if q.dtype == torch.float64 else -1e9)
        scores = torch.baddbmm(bias.expand(N * H, S, T), q, k.transpose(1, 2), beta=1.0,
                               alpha=1.0 / math.sqrt(d))
        weights = self.attn_drop(scores.softmax(dim=-1))
        y = torch.bmm(weights, v).reshape(N, H, S, d).transpose(1, 2).reshape(N, S, E)
        output = self.proj(y)
        return output
'''),
    alt("multi_head_attention_sdpa_k2", "multi_head_attention", '''
import torch.nn.functional as F


class MultiHeadAttention(nn.Module):
    """Multi-head scaled dot-product attention with an output projection.

    Inputs are (N, S, E) queries and (N, T, E) keys and values; `attn_mask` (S, T) is
    true where query position i may look at key position j.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.key = nn.Linear(embed_dim, embed_dim)
        self.query = nn.Linear(embed_dim, embed_dim)
        self.value = nn.Linear(embed_dim, embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)
        self.attn_drop = nn.Dropout(dropout)
        self.n_head = num_heads
        self.emd_dim = embed_dim
        self.head_dim = embed_dim // num_heads

    def forward(self, query, key, value, attn_mask=None):
        N, S, E = query.shape
        _, T, _ = value.shape
        output = None
        heads = lambda t: t.unflatten(-1, (self.n_head, self.head_dim)).transpose(1, 2)
        q, k, v = heads(self.query(query)), heads(self.key(key)), heads(self.value(value))
        # PyTorch's fused kernel: a boolean mask is True where attention is allowed,
        # the scale defaults to 1/sqrt(head_dim), and dropout acts on the weights.
        y = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attn_mask,
            dropout_p=self.attn_drop.p if self.training else 0.0)
        output = self.proj(y.transpose(1, 2).flatten(2))
        return output
'''),
    alt("multi_head_attention_float64_prescaled_k3", "multi_head_attention", '''
class MultiHeadAttention(nn.Module):
    """Multi-head scaled dot-product attention with an output projection.

    Inputs are (N, S, E) queries and (N, T, E) keys and values; `attn_mask` (S, T) is
    true where query position i may look at key position j.
    """

    def __init__(self, embed_dim, num_heads, dropout=0.1):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.key = nn.Linear(embed_dim, embed_dim)
        self.query = nn.Linear(embed_dim, embed_dim)
        self.value = nn.Linear(embed_dim, embed_dim)
        self.proj = nn.Linear(embed_dim, embed_dim)
        self.attn_drop = nn.Dropout(dropout)
        self.n_head = num_heads
        self.emd_dim = embed_dim
        self.head_dim = embed_dim // num_heads

    def forward(self, query, key, value, attn_mask=None):
        N, S, E = query.shape
        _, T, _ = value.shape
        output = None
        H, d = self.n_head, self.head_dim
        # scale the queries before the product, and do the softmax in float64
        q = (self.query(query) * d ** -0.5).reshape(N, S, H, d).transpose(1, 2)   # (N, H, S, d)
        k = self.key(key).reshape(N, T, H, d).permute(0, 2, 3, 1)                # (N, H, d, T)
        v = self.value(value).reshape(N, T, H, d).transpose(1, 2)                 # (N, H, T, d)
        scores = torch.matmul(q, k).double()
        if attn_mask is not None:
            allowed = attn_mask.to(device=scores.device, dtype=torch.bool)
            scores = torch.where(allowed, scores, torch.tensor(-math.inf, dtype=scores.dtype,
                                                               device=scores.device))
        weights = torch.softmax(scores, dim=-1).to(v.dtype)
        weights = self.attn_drop(weights)
        y = torch.matmul(weights, v)                                              # (N, H, S, d)
        output = self.proj(torch.cat(y.unbind(dim=1), dim=-1))                    # heads side by side
        return output
'''),

    alt("positional_encoding_float64_exp_log_k0", "positional_encoding", '''
class PositionalEncoding(nn.Module):
    """Adds sin/cos position codes to a batch of embeddings (N, S, D), then dropout."""

    def __init__(self, embed_dim, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        if embed_dim % 2:
            raise ValueError("embed_dim must be even")
        pe = torch.zeros(1, max_len, embed_dim)
        # computed in float64, then stored in pe's own dtype
        position = torch.arange(max_len, dtype=torch.float64)[:, None]
        even = torch.arange(0, embed_dim, 2, dtype=torch.float64)
        rates = torch.exp(-math.log(10000.0) * even / embed_dim)
        angles = position * rates
        pe[0, :, 0::2] = torch.sin(angles).to(pe.dtype)
        pe[0, :, 1::2] = torch.cos(angles).to(pe.dtype)
        self.register_buffer("pe", pe)

    def forward(self, x):
        N, S, D = x.shape
        output = None
        output = self.dropout(x + self.pe[:, :S, :])
        return output
'''),
    alt("positional_encoding_numpy_outer_k1", "positional_encoding", '''
class PositionalEncoding(nn.Module):
    """Adds sin/cos position codes to a batch of embeddings (N, S, D), then dropout."""

    def __init__(self, embed_dim, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        if embed_dim % 2:
            raise ValueError("embed_dim must be even")
        pe = torch.zeros(1, max_len, embed_dim)
        j = np.arange(embed_dim)
        exponent = (j - j % 2) / embed_dim  # j for even columns, j - 1 for odd ones
        angle = np.outer(np.arange(max_len), np.power(10000.0, -exponent))  # float64
        table = np.where(j % 2 == 0, np.sin(angle), np.cos(angle))
        pe.copy_(torch.from_numpy(table)[None])
        self.register_buffer("pe", pe)

    def forward(self, x):
        N, S, D = x.shape
        output = None
        output = self.dropout(x + self.pe[0, :S])  # (S, D) broadcasts over the batch
        return output
'''),
    alt("positional_encoding_column_loop_float32_k2", "positional_encoding", '''
class PositionalEncoding(nn.Module):
    """Adds sin/cos position codes to a batch of embeddings (N, S, D), then dropout."""

    def __init__(self, embed_dim, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        if embed_dim % 2:
            raise ValueError("embed_dim must be even")
        pe = torch.zeros(1, max_len, embed_dim)
        i = torch.arange(max_len, dtype=torch.float32)
        for j in range(0, embed_dim, 2):  # one sin/cos column pair at a time
            freq = torch.pow(torch.tensor(10000.0), torch.tensor(-j / embed_dim))
            pe[0, :, j] = torch.sin(i * freq)
            pe[0, :, j + 1] = torch.cos(i * freq)
        self.register_buffer("pe", pe)

    def forward(self, x):
        N, S, D = x.shape
        output = None
        output = self.dropout(x + self.pe[:, :S].expand(N, S, D))
        return output
'''),

    alt("captioning_transformer_tril_k0", "captioning_transformer", '''
class CaptioningTransformer(nn.Module):
    """A transformer decoder that captions an image: the caption attends to itself (only to
    earlier words) and to the projected image feature, then scores the next word."""

    def __init__(self, word_to_idx, input_dim, wordvec_dim, num_heads=4, num_layers=2, max_length=50):
        super().__init__()
        vocab_size = len(word_to_idx)
        self.vocab_size = vocab_size
        self._null = word_to_idx["<NULL>"]
        self._start = word_to_idx.get("<START>")
        self._end = word_to_idx.get("<END>")
        self.visual_projection = nn.Linear(input_dim, wordvec_dim)
        self.embedding = nn.Embedding(vocab_size, wordvec_dim, padding_idx=self._null)
        self.positional_encoding = PositionalEncoding(wordvec_dim, max_len=max_length)
        self.layers = nn.ModuleList([DecoderLayer(wordvec_dim, num_heads) for _ in range(num_layers)])
        self.output = nn.Linear(wordvec_dim, vocab_size)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                module.bias.data.zero_()
        elif isinstance(module, nn.LayerNorm):
            module.bias.data.zero_()
            module.weight.data.fill_(1.0)

    def forward(self, features, captions):
        """Scores (N, T, V) for the word after each position of `captions` (N, T), given
        image features (N, D)."""
        N, T = captions.shape
        scores = None
        tgt = self.positional_encoding(self.embedding(captions))
        memory = self.visual_projection(features).unsqueeze(1)  # (N, 1, W)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool, device=captions.device))
        for layer in self.layers:
            tgt = layer(tgt, memory, tgt_mask=causal)
        scores = self.output(tgt)
        return scores
'''),
    alt("captioning_transformer_arange_mask_k1", "captioning_transformer", '''
class CaptioningTransformer(nn.Module):
    """A transformer decoder that captions an image: the caption attends to itself (only to
    earlier words) and to the projected image feature, then scores the next word."""

    def __init__(self, word_to_idx, input_dim, wordvec_dim, num_heads=4, num_layers=2, max_length=50):
        super().__init__()
        vocab_size = len(word_to_idx)
        self.vocab_size = vocab_size
        self._null = word_to_idx["<NULL>"]
        self._start = word_to_idx.get("<START>")
        self._end = word_to_idx.get("<END>")
        self.visual_projection = nn.Linear(input_dim, wordvec_dim)
        self.embedding = nn.Embedding(vocab_size, wordvec_dim, padding_idx=self._null)
        self.positional_encoding = PositionalEncoding(wordvec_dim, max_len=max_length)
        self.layers = nn.ModuleList([DecoderLayer(wordvec_dim, num_heads) for _ in range(num_layers)])
        self.output = nn.Linear(wordvec_dim, vocab_size)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                module.bias.data.zero_()
        elif isinstance(module, nn.LayerNorm):
            module.bias.data.zero_()
            module.weight.data.fill_(1.0)

    def forward(self, features, captions):
        """Scores (N, T, V) for the word after each position of `captions` (N, T), given
        image features (N, D)."""
        N, T = captions.shape
        scores = None
        words = self.embedding(captions)
        x = self.positional_encoding(words)
        image = self.visual_projection(features)[:, None, :]
        position = torch.arange(T, device=captions.device)
        may_see = position[:, None] >= position[None, :]  # row t: keys 0..t
        for decoder in self.layers:
            x = decoder(x, image, may_see)
        scores = self.output(x)
        return scores
'''),
    alt("captioning_transformer_triu_sequential_k2", "captioning_transformer", '''
class CaptioningTransformer(nn.Module):
    """A transformer decoder that captions an image: the caption attends to itself (only to
    earlier words) and to the projected image feature, then scores the next word."""

    def __init__(self, word_to_idx, input_dim, wordvec_dim, num_heads=4, num_layers=2, max_length=50):
        super().__init__()
        vocab_size = len(word_to_idx)
        self.vocab_size = vocab_size
        self._null = word_to_idx["<NULL>"]
        self._start = word_to_idx.get("<START>")
        self._end = word_to_idx.get("<END>")
        self.visual_projection = nn.Linear(input_dim, wordvec_dim)
        self.embedding = nn.Embedding(vocab_size, wordvec_dim, padding_idx=self._null)
        self.positional_encoding = PositionalEncoding(wordvec_dim, max_len=max_length)
        self.layers = nn.ModuleList([DecoderLayer(wordvec_dim, num_heads) for _ in range(num_layers)])
        self.output = nn.Linear(wordvec_dim, vocab_size)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            module.weight.data.normal_(mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                module.bias.data.zero_()
        elif isinstance(module, nn.LayerNorm):
            module.bias.data.zero_()
            module.weight.data.fill_(1.0)

    def forward(self, features, captions):
        """Scores (N, T, V) for the word after each position of `captions` (N, T), given
        image features (N, D)."""
        N, T = captions.shape
        scores = None
        future = torch.ones(T, T, device=features.device).triu(diagonal=1)
        tgt_mask = future == 0  # True on and below the diagonal
        memory = self.visual_projection(features).view(N, 1, -1)
        hidden = self.positional_encoding(self.embedding(captions))
        i = 0
        while i < len(self.layers):
            hidden = self.layers[i](hidden, memory, tgt_mask=tgt_mask)
            i += 1
        scores = torch.nn.functional.linear(hidden, self.output.weight, self.output.bias)
        return scores
'''),
]

# Alternatives that read a cache built by another answer cell: combine them only with
# the alternatives listed (the `_k` suffix says the same).
NEEDS = {
    "rnn_step_backward_einsum_dict_k0": ["rnn_step_forward_einsum_dict_k0"],
    "rnn_step_backward_stacked_float64_k1": ["rnn_step_forward_stacked_float64_k1"],
    "rnn_step_backward_recompute_tanh_k2": ["rnn_step_forward_tensordot_preact_k2"],
    "rnn_backward_reversed_accumulate_k0": ["rnn_forward_list_stack_k0"],
    "rnn_backward_sum_lists_k1": ["rnn_forward_time_major_dict_k1"],
    "rnn_backward_float64_accumulators_k2": ["rnn_forward_prealloc_while_k2"],
    "word_embedding_backward_bincount_k0": ["word_embedding_forward_take_k0"],
    "word_embedding_backward_one_hot_matmul_k1": ["word_embedding_forward_one_hot_k1"],
    "word_embedding_backward_sort_reduceat_k2": ["word_embedding_forward_flat_k2"],
    "word_embedding_backward_loops_k3": ["word_embedding_forward_loops_k3"],
    "lstm_step_backward_split_k0": ["lstm_step_forward_split_k0"],
    "lstm_step_backward_reshape_float64_k1": ["lstm_step_forward_reshape_float64_k1"],
    "lstm_step_backward_recompute_k2": ["lstm_step_forward_einsum_preact_k2"],
    "lstm_backward_reversed_k0": ["lstm_forward_list_stack_k0"],
    "lstm_backward_sum_lists_k1": ["lstm_forward_time_major_k1"],
    "lstm_backward_prealloc_float64_k2": ["lstm_forward_prealloc_k2"],
}

OPEN_CHOICES = {
    "captioning_rnn_null_after_end_k2":
        "sample() leaves <NULL> after a caption's <END> and stops once every caption has ended; "
        "the text never says whether words after <END> are kept (decode_captions drops them anyway)",
    "lstm_captioning_model_null_after_end_k2": "the same <END> choice in the LSTM branch",
    "multi_head_attention_baddbmm_large_negative_k1":
        "masks with -1e9 (float32) / -1e30 (float64) instead of -inf: identical weights whenever a "
        "query may see at least one key, but a query row with no allowed key gives a uniform "
        "average instead of NaN",
    "multi_head_attention_sdpa_k2":
        "F.scaled_dot_product_attention with dropout_p=attn_drop.p in training: on the CPU it "
        "draws the same dropout mask as nn.Dropout, but fused GPU kernels draw their own; a fully "
        "masked query row gives a finite result instead of NaN",
    "multi_head_attention_float64_prescaled_k3":
        "queries scaled before the product and the softmax done in float64: differs from a "
        "float32 reference by float32 rounding only (about 1e-7 absolute)",
    "positional_encoding_float64_exp_log_k0":
        "table computed in float64 and then cast to float32: differs from a table computed in "
        "float32 by up to 4e-4 at positions near 5000 (embed_dim 256)",
    "positional_encoding_numpy_outer_k1": "float64 table as above, computed with numpy",
    "positional_encoding_column_loop_float32_k2":
        "float32 table computed with torch.pow per column pair: up to 4e-4 from the exact "
        "values near position 5000",
    "word_embedding_backward_bincount_k0":
        "np.bincount sums in float64; the result is cast back to the gradient's dtype",
    "rnn_step_forward_stacked_float64_k1": "float64 intermediates, result cast back to the inputs' dtype",
    "lstm_step_forward_reshape_float64_k1": "float64 intermediates, results cast back to the inputs' dtype",
}
