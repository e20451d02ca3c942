"""Trains the independent Keras implementation of training_steps.py on Fashion-MNIST, for comparing outcomes.

Usage: python train_keras_reference.py SEED [EPOCHS] [DATA_DIR]   (defaults: 10 epochs, Debian's
/usr/share/datasets/fashion-mnist). The same model and loss as the CI check, but started from Keras's own
initialisers (orthogonal kernels, normal power-iteration vectors) and trained with model.fit (Adam 1e-3, batch 128,
shuffled each epoch). Prints one JSON line: test accuracy, provable robust accuracy (nominal L = 1, margin / 2)
at the README's eps, and the mean certified radius. Not part of CI (5-7 minutes a run on 2 cores); the README's
seed comparison was made with it.
"""
import gzip
import json
import os
import sys

import keras
import numpy as np
import tensorflow as tf

from training_steps import Net, multiclass_hkr

EPS = [0.1, 36 / 255, 0.25, 0.5, 1.0]


def idx(directory, name, images):
    with gzip.open(os.path.join(directory, name)) as fh:
        data = fh.read()
    if images:
        return np.frombuffer(data, np.uint8, offset=16).reshape(-1, 28, 28, 1).astype("float32") / 255
    return np.frombuffer(data, np.uint8, offset=8).astype("int64")


def main(seed, epochs, directory):
    keras.utils.set_random_seed(seed)
    x_train = idx(directory, "train-images-idx3-ubyte.gz", True)
    y_train = idx(directory, "train-labels-idx1-ubyte.gz", False)
    x_test = idx(directory, "t10k-images-idx3-ubyte.gz", True)
    y_test = idx(directory, "t10k-labels-idx1-ubyte.gz", False)
    net = Net()
    net(x_train[:1])
    orthogonal, normal = keras.initializers.Orthogonal(), keras.initializers.RandomNormal()
    for layer in [net.c1, net.c2, net.d1]:
        layer.kernel.assign(orthogonal(layer.kernel.shape))
        layer.u.assign(normal(layer.u.shape))
    net.head.kernel.assign(orthogonal(net.head.kernel.shape))
    net.compile(optimizer=keras.optimizers.Adam(1e-3), loss=multiclass_hkr)
    net.fit(x_train, np.eye(10, dtype="float32")[y_train], batch_size=128, epochs=epochs, shuffle=True, verbose=2)
    print(json.dumps(summary(seed, epochs, net.predict(x_test, batch_size=1000, verbose=0), y_test)))


def summary(seed, epochs, f, y_test):
    """Test accuracy, provable robust accuracy at EPS and mean certified radius (nominal L = 1, margin / 2)."""
    top = np.sort(f, 1)
    correct = f.argmax(1) == y_test
    radius = np.where(correct, (top[:, -1] - top[:, -2]) / 2, 0)
    return {"seed": seed, "epochs": epochs, "accuracy": float(correct.mean()),
            "pra": {f"{e:.4f}": float((radius > e).mean()) for e in EPS}, "meanRadius": float(radius.mean())}


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10,
         sys.argv[3] if len(sys.argv) > 3 else "/usr/share/datasets/fashion-mnist")
