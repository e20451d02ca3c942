"""Replays jlip's training-step fixture with deel-lip's own layers and loss, for comparing the two step by step.

Usage: python deel_lip_steps.py DIR [--numerics-pooling]   (DIR written by TrainingStepFixtureTest; needs deel-lip
2.x importable as deel.lip, e.g. `pip install deel-lip`; not part of CI: deel-lip is not in this machine's package
index). Builds deel-lip's Sequential of examples/fmnist-hkr.json, loads jlip's initial kernels, biases and power-
iteration vectors, and trains on the fixture's batches with Adam, as jlip's step does.

First it reports whether deel-lip's W_bar variable is its kernel: deel-lip 2.x makes it with
keras.Variable(self.kernel.value), which Keras 3's TensorFlow backend wraps instead of copying. If it is, each
forward pass in training sets the kernel to W_bar, which is jlip's reprojectKernel, and the losses are compared with
the fixture's lossesReprojected; otherwise with its losses. --numerics-pooling swaps deel-lip's ScaledL2NormPooling2D
(the exact sqrt with the custom gradient dy / (2 (sqrt + eps))) for NUMERICS.md's sqrt(avgpool(x^2) + 1e-6), the
only other difference: with it the losses agree to about 1e-6 over the first dozen steps (measured 2.3e-6 over 20).
"""
import json
import sys

import keras
import numpy as np
import tensorflow as tf

import deel.lip.layers.pooling as pooling

from train_deel_lip_reference import build


def numerics_pooling(self, x):
    return tf.sqrt(keras.layers.AveragePooling2D.call(self, tf.square(x)) + self.eps_grad_sqrt) * self._get_coef()


def main(d, numerics):
    if numerics:
        pooling.ScaledL2NormPooling2D.call = numerics_pooling
    spec = json.load(open(f"{d}/steps.json"))
    load = lambda name: np.fromfile(f"{d}/{name}.f32", dtype="<f4").reshape(spec["variables"][name])
    labels = np.asarray(spec["labels"])
    images = np.fromfile(f"{d}/images.f32", dtype="<f4").reshape(len(labels), 28, 28, 1)
    onehot = np.eye(10, dtype="float32")[labels]
    model = build()
    for name, index in [("spectral_conv2d", 0), ("spectral_conv2d_1", 3), ("spectral_dense", 7)]:
        layer = model.layers[index]
        layer.kernel.assign(load(name + "_kernel"))
        layer.bias.assign(load(name + "_bias"))
        layer.u.assign(load(name + "_u"))
    model.layers[9].kernel.assign(load("frobenius_dense_kernel"))
    first = model.layers[0]
    aliased = first.wbar.value is first.kernel.value
    print(f"deel-lip's W_bar variable {'is' if aliased else 'is not'} its kernel (Keras {keras.__version__}, "
          f"TensorFlow {tf.__version__}): compared with jlip's {'lossesReprojected' if aliased else 'losses'}")
    expected = spec["lossesReprojected" if aliased else "losses"]
    b = spec["batch"]
    worst = 0.0
    for s, want in enumerate(expected):
        got = float(model.train_on_batch(images[s * b:(s + 1) * b], onehot[s * b:(s + 1) * b]))
        rel = abs(got - want) / abs(want)
        worst = max(worst, rel)
        print(f"step {s:2d}: deel-lip {got:.6f} jlip {want:.6f} relative difference {rel:.1e}")
    print(f"deel-lip-steps: {len(expected)} steps, worst relative difference {worst:.1e} "
          f"({'NUMERICS' if numerics else 'deel-lip'} pooling)")


if __name__ == "__main__":
    main(sys.argv[1], "--numerics-pooling" in sys.argv[2:])
