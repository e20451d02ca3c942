"""Trains the issue's reference recipe with deel-lip's own layers and loss, for comparing jlip with deel-lip.

Usage: python train_deel_lip_reference.py SEED [EPOCHS] [DATA_DIR]   (needs deel-lip 2.x importable as deel.lip,
e.g. `pip install deel-lip`; defaults: 10 epochs, Debian's /usr/share/datasets/fashion-mnist). deel-lip's
Sequential of SpectralConv2D 16 + GroupSort2, ScaledL2NormPooling2D, SpectralConv2D 32 + GroupSort2,
ScaledL2NormPooling2D, Flatten, SpectralDense 64 + GroupSort2, FrobeniusDense 10 (no bias), every other argument
deel-lip's default; MulticlassHKR(alpha 100, min_margin 0.5), Adam 1e-3, batch 128, model.fit shuffling each
epoch. Prints one JSON line: test accuracy, provable robust accuracy (nominal L = 1, margin / 2) at the README's
eps, the mean certified radius and the median training step after the first epoch (model.fit's own loop, callback
to callback). Not part of CI: deel-lip is not in this machine's package index.
"""
import json
import sys
import time

import keras
import numpy as np

from deel.lip.layers import FrobeniusDense, GroupSort2, ScaledL2NormPooling2D, SpectralConv2D, SpectralDense
from deel.lip.losses import MulticlassHKR
from deel.lip.model import Sequential

from train_keras_reference import idx, summary


class StepTimer(keras.callbacks.Callback):
    """Times each training step after the first epoch (the first holds tracing and warm-up)."""

    def __init__(self):
        super().__init__()
        self.epoch, self.start, self.times = 0, 0.0, []

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if self.epoch > 0:
            self.times.append(time.perf_counter() - self.start)


def build():
    """deel-lip's Sequential of examples/fmnist-hkr.json, compiled with MulticlassHKR(100, 0.5) and Adam 1e-3."""
    model = Sequential([
        keras.Input((28, 28, 1)),
        SpectralConv2D(16, (3, 3)), GroupSort2(), ScaledL2NormPooling2D(pool_size=(2, 2)),
        SpectralConv2D(32, (3, 3)), GroupSort2(), ScaledL2NormPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        SpectralDense(64), GroupSort2(),
        FrobeniusDense(10, activation=None, use_bias=False),
    ])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=MulticlassHKR(alpha=100, min_margin=0.5))
    return model


def main(seed, epochs, directory):
    x_train = idx(directory, "train-images-idx3-ubyte.gz", True)
    y_train = idx(directory, "train-labels-idx1-ubyte.gz", False)
    x_test = idx(directory, "t10k-images-idx3-ubyte.gz", True)
    y_test = idx(directory, "t10k-labels-idx1-ubyte.gz", False)
    keras.utils.set_random_seed(seed)
    model = build()
    timer = StepTimer()
    model.fit(x_train, np.eye(10, dtype="float32")[y_train], batch_size=128, epochs=epochs, shuffle=True, verbose=2,
              callbacks=[timer])
    result = summary(seed, epochs, model.predict(x_test, batch_size=1000, verbose=0), y_test)
    result["medianStepMs"] = float(np.median(timer.times) * 1000) if timer.times else None
    print(json.dumps(result))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10,
         sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist")
