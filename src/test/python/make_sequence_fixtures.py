"""Writes the 1-D (sequence) Keras fixtures of src/test/resources/keras/sequence and their reference logits.

Run with Keras 3 (the interop venv): python src/test/python/make_sequence_fixtures.py src/test/resources/keras/sequence
The files are committed; this script documents how they were made. Each model takes a sequence [T, C] and is saved
as a .keras file, as a legacy .h5 file and with model.export() (Conv1D as ExpandDims, Conv2D, Squeeze; the
kernel through ExpandDims too); reference-logits.json holds, per model, 8 inputs (the pattern
x[i] = (i % 7) / 7, row-major over (T, C), then 7 random ones) and Keras's logits on them.
"""
import json
import sys

import keras
import numpy as np

out = sys.argv[1]
keras.utils.set_random_seed(11)
refs = {"keras": keras.__version__}
rng = np.random.default_rng(3)


def pattern(shape):
    n = int(np.prod(shape))
    return (np.arange(n) % 7 / 7).astype("float32").reshape((1,) + tuple(shape))


def save(model, name):
    model.save(f"{out}/{name}.keras")
    model.save(f"{out}/{name}.h5")
    model.export(f"{out}/{name}_export", verbose=False)
    x = np.concatenate([pattern(model.input_shape[1:]), rng.random((7,) + model.input_shape[1:], dtype="float32")])
    refs[name] = {"inputs": x.tolist(), "logits": model(x, training=False).numpy().tolist()}


# Causal and same-padded convolutions (one strided), max and average pooling (one overlapping, one padded), a batch
# normalisation over the channels and the mean over time.
bn = keras.layers.BatchNormalization(name="bn")
conv_pool = keras.Sequential([
    keras.Input((32, 3)),
    keras.layers.Conv1D(6, 5, padding="causal", activation="relu", name="causal"),
    keras.layers.MaxPooling1D(2, name="max_pool"),
    keras.layers.Conv1D(8, 3, strides=2, padding="same", name="strided"),
    bn,
    keras.layers.ReLU(name="relu"),
    keras.layers.AveragePooling1D(3, strides=2, padding="same", name="avg_pool"),
    keras.layers.GlobalAveragePooling1D(name="mean"),
    keras.layers.Dense(4, name="logits")], name="conv1d_pool")
n = bn.moving_mean.shape[0]
bn.set_weights([rng.normal(1, 0.5, n).astype("float32"), rng.normal(0, 0.3, n).astype("float32"),
                rng.normal(0, 0.3, n).astype("float32"), rng.uniform(0.2, 2, n).astype("float32")])
save(conv_pool, "conv1d_pool")

# Zero padding, a valid convolution without bias, the maximum over time; and a flatten of [T, F] into a dense head.
flat = keras.Sequential([
    keras.Input((20, 2)),
    keras.layers.ZeroPadding1D((2, 1), name="pad"),
    keras.layers.Conv1D(4, 3, use_bias=False, activation="tanh", name="conv"),
    keras.layers.MaxPooling1D(3, strides=1, name="overlap"),
    keras.layers.Flatten(name="flat"),
    keras.layers.Dense(3, name="logits")], name="conv1d_flatten")
save(flat, "conv1d_flatten")
gmax = keras.Sequential([
    keras.Input((16, 4)),
    keras.layers.Conv1D(5, 4, strides=3, name="conv"),
    keras.layers.GlobalMaxPooling1D(name="gmax"),
    keras.layers.Dense(2, name="logits")], name="conv1d_global_max")
save(gmax, "conv1d_global_max")

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
