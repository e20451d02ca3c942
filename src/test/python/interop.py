"""Checks a jlip SavedModel with Python TensorFlow and Keras (run through run-interop.sh).

DIR holds inputs.npy and expected.json (outputs computed in Java; its "modelDir" names the SavedModel, else
DIR/model). Checks:
  1. tf.saved_model.load: serving_default and certify reproduce the Java outputs (max abs diff <= 1e-5).
  2. keras.layers.TFSMLayer(call_endpoint='serving_default') reproduces them too.
  3. TF's own gradients (TF1 graph loader; the export is TF1-style, so eager signatures give no input gradient):
     max over inputs and class pairs of |grad_x (f_i - f_j)| stays within the certificate rule's bound
     divisor * L (2L disjoint head, sqrt(2)L otherwise; |grad f| <= L for one logit).
Exits non-zero on any failure.
"""
import itertools
import json
import os
import sys

import numpy as np
import tensorflow as tf
import keras

TOL = 1e-5


def max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def check(name, ok, detail):
    print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")
    return ok


def gradient_bound(model_dir, x, outputs):
    """Largest input-gradient norm of f_i - f_j (or of f for one logit) over the samples, by tf.compat.v1.gradients."""
    with tf.Graph().as_default() as graph, tf.compat.v1.Session(graph=graph) as sess:
        meta = tf.compat.v1.saved_model.loader.load(sess, ["serve"], model_dir)
        sig = meta.signature_def["serving_default"]
        xin = graph.get_tensor_by_name(sig.inputs["x"].name)
        f = graph.get_tensor_by_name(sig.outputs["logits"].name)
        pairs = [(0, None)] if outputs == 1 else list(itertools.combinations(range(outputs), 2))
        diffs = [f[:, i] if j is None else f[:, i] - f[:, j] for i, j in pairs]
        # samples are independent, so the gradient of the batch sum holds each sample's own gradient
        grads = [tf.compat.v1.gradients(tf.reduce_sum(d), xin)[0] for d in diffs]
        values = sess.run(grads, feed_dict={xin: x})
    norms = [np.sqrt(np.sum(g.reshape(len(x), -1).astype(np.float64) ** 2, axis=1)) for g in values]
    return float(np.max(norms))


def main(directory):
    x = np.load(os.path.join(directory, "inputs.npy")).astype(np.float32)
    with open(os.path.join(directory, "expected.json")) as fh:
        expected = json.load(fh)
    model_dir = expected.get("modelDir", os.path.join(directory, "model"))
    print(f"== {model_dir} on {len(x)} inputs of shape {list(x.shape[1:])}")
    with open(os.path.join(model_dir, "assets.extra", "jlip.json")) as fh:
        meta = json.load(fh)
    logits = np.asarray(expected["logits"], np.float32)
    outputs = logits.shape[1]
    ok = True

    loaded = tf.saved_model.load(model_dir)
    ok &= check("signatures", set(loaded.signatures.keys()) == {"serving_default", "certify"},
                sorted(loaded.signatures.keys()))
    served = loaded.signatures["serving_default"](x=tf.constant(x))
    ok &= check("serving_default logits", max_diff(served["logits"], logits) <= TOL,
                f"max abs diff {max_diff(served['logits'], logits):.3g}")
    cert = loaded.signatures["certify"](x=tf.constant(x))
    ok &= check("certify logits", max_diff(cert["logits"], logits) <= TOL,
                f"max abs diff {max_diff(cert['logits'], logits):.3g}")
    ok &= check("certify label", np.array_equal(cert["label"].numpy(), np.asarray(expected["label"])),
                f"dtype {cert['label'].dtype.name}")
    ok &= check("certify radius", max_diff(cert["radius"], expected["radius"]) <= TOL,
                f"max abs diff {max_diff(cert['radius'], expected['radius']):.3g}")

    layer = keras.layers.TFSMLayer(model_dir, call_endpoint="serving_default")
    out = layer(x)
    keras_logits = out["logits"] if isinstance(out, dict) else out
    ok &= check("keras TFSMLayer logits", max_diff(keras_logits, logits) <= TOL,
                f"max abs diff {max_diff(keras_logits, logits):.3g}")

    lipschitz = meta["certificate"]["lipschitz"]
    divisor = 1.0 if outputs == 1 else meta["certificate"]["divisor"]
    bound = divisor * lipschitz
    grad = gradient_bound(model_dir, x, outputs)
    ok &= check("gradient within certificate rule", grad <= bound * (1 + 1e-5),
                f"max |grad(f_i - f_j)| = {grad:.6g} <= {meta['certificate']['rule']} bound {bound:.6g}"
                f" (ratio {grad / bound:.4f})")

    print(f"interop with TensorFlow {tf.__version__}, Keras {keras.__version__}: {'OK' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: interop.py DIR   (DIR holds inputs.npy and expected.json)")
    sys.exit(main(sys.argv[1]))
