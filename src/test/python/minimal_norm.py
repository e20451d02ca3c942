"""Checks jlip's minimal-norm L2 attack with Python TensorFlow (run through run-interop.sh).

DIR (written by MinimalNormInteropFixtureTest) holds inputs.npy, adversarial.npy and attack.json: labels, clean
predictions and the norm jlip found per sample (-1: none), and "modelDir", the exported SavedModel attacked.
Checks:
  1. Every adversarial example jlip reports is misclassified by the SavedModel run in Python, at the reported
     norm (|x_adv - x| equal to 1e-4), inside the [0, 1] box.
  2. An independent attack (Carlini-Wagner L2: Adam on a tanh-boxed input, binary search on the trade-off
     constant) finds no example more than 5% smaller than jlip's on more than 2% of the samples.
  3. That attack is a real one (so check 2 can fail): it breaks at least 90% of what jlip breaks, with a median
     norm within 1.5x of jlip's.
Exits non-zero on any failure.
"""
import json
import os
import sys

import numpy as np
import tensorflow as tf

SEARCHES, STEPS, LR = 6, 200, 0.01


def main(directory):
    x = np.load(os.path.join(directory, "inputs.npy")).astype(np.float32)
    adv = np.load(os.path.join(directory, "adversarial.npy")).astype(np.float32)
    with open(os.path.join(directory, "attack.json")) as fh:
        a = json.load(fh)
    y = np.asarray(a["label"])
    jnorm = np.asarray(a["norm"], np.float64)
    n, classes = len(y), 10
    fn = tf.saved_model.load(a["modelDir"]).signatures["serving_default"]

    def logits(v):
        return fn(x=v)["logits"]

    ok = True
    clean = np.argmax(logits(tf.constant(x)).numpy(), 1)
    ok &= report("clean predictions", np.array_equal(clean, a["cleanPrediction"]),
                 f"{int((clean != np.asarray(a['cleanPrediction'])).sum())} differ")
    found = (jnorm > 0) & (clean == y)
    f = logits(tf.constant(adv)).numpy()
    true = f[np.arange(n), y]
    other = np.max(np.where(np.eye(classes, dtype=bool)[y], -np.inf, f), 1)
    # jlip's bisection stops on the adversarial side of the boundary; allow float round-off there
    flipped = other - true >= -1e-4 * np.maximum(1, np.abs(f).max(1))
    dist = np.sqrt(((adv - x).reshape(n, -1).astype(np.float64) ** 2).sum(1))
    ok &= report("jlip's adversarial examples are misclassified", bool(flipped[found].all()),
                 f"{int(found.sum())} examples, {int((~flipped[found]).sum())} not")
    ok &= report("at the reported norms", bool(np.allclose(dist[found], jnorm[found], atol=1e-4)),
                 f"max difference {np.max(np.abs(dist[found] - jnorm[found])):.2e}")
    ok &= report("inside the box", bool(adv.min() >= -1e-6 and adv.max() <= 1 + 1e-6),
                 f"range [{adv.min():.4f}, {adv.max():.4f}]")

    cw = carlini_wagner(logits, x, y, clean == y, classes)
    both = found & np.isfinite(cw)
    smaller = int(((cw < 0.95 * jnorm) & both).sum())
    print(f"median smallest norm over {int(found.sum())} samples: jlip {np.median(jnorm[found]):.4f},"
          f" Carlini-Wagner {np.median(cw[both]):.4f}; jlip >5% smaller on"
          f" {int(((jnorm < 0.95 * cw) & both).sum())}, Carlini-Wagner on {smaller}")
    ok &= report("no clearly smaller adversarial examples than jlip's", smaller <= 0.02 * n,
                 f"{smaller} of {n} samples")
    ok &= report("the independent attack works", both.sum() >= 0.9 * found.sum()
                 and np.median(cw[both]) <= 1.5 * np.median(jnorm[both]), f"{int(both.sum())} broken")
    return ok


def carlini_wagner(logits, x, y, correct, classes):
    """Smallest adversarial L2 norm found per sample (inf: none)."""
    n = len(y)
    x0 = tf.constant(x)
    onehot = tf.one_hot(y, classes)
    w0 = np.arctanh(np.clip(x * 2 - 1, -1 + 1e-6, 1 - 1e-6)).astype(np.float32)
    best = np.full(n, np.inf)
    c = np.ones(n, np.float32)
    lo, hi = np.zeros(n, np.float32), np.full(n, np.inf, np.float32)
    for _ in range(SEARCHES):
        w = tf.Variable(w0)
        opt = tf.keras.optimizers.Adam(LR)
        cc = tf.constant(c)
        success = np.zeros(n, bool)
        for _ in range(STEPS):
            with tf.GradientTape() as tape:
                xa = (tf.tanh(w) + 1) / 2
                f = logits(xa)
                true = tf.reduce_sum(f * onehot, 1)
                other = tf.reduce_max(f - 1e9 * onehot, 1)
                d2 = tf.reduce_sum(tf.square(xa - x0), [1, 2, 3])
                loss = tf.reduce_sum(d2 + cc * tf.nn.relu(true - other))
            opt.apply_gradients([(tape.gradient(loss, w), w)])
            broken = (other > true).numpy() & correct
            norms = np.sqrt(d2.numpy())
            better = broken & (norms < best)
            best[better] = norms[better]
            success |= broken
        hi = np.where(success, np.minimum(hi, c), hi)
        lo = np.where(success, lo, c)
        c = np.where(np.isinf(hi), c * 10, (lo + hi) / 2).astype(np.float32)
    return best


def report(name, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
    return ok


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1]) else 1)
