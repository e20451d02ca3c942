"""Writes the plain-Keras .keras fixtures of src/test/resources/keras and their reference logits.

Run once with Keras 3 (the interop venv): python src/test/python/make_keras_fixtures.py src/test/resources/keras
The files are committed; this script documents how they were made. Logits are taken before the final softmax,
computed by Keras itself on the pattern input x[i] = (i % 7) / 7 (NHWC, row-major).
"""
import json
import sys

import keras
import numpy as np

out = sys.argv[1]
keras.utils.set_random_seed(3)
pattern = (np.arange(28 * 28) % 7 / 7).astype("float32").reshape(1, 28, 28, 1)
refs = {"keras": keras.__version__}

# A chain: conv (relu activation), Keras ReLU layer via Activation, flatten, dense, ReLU layer, dense + softmax.
inp = keras.Input((28, 28, 1), name="image")
x = keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu", name="conv")(inp)
x = keras.layers.Conv2D(6, 3, padding="valid", name="conv_b")(x)
x = keras.layers.Activation("relu", name="act")(x)
x = keras.layers.Flatten(name="flat")(x)
x = keras.layers.Dense(12, name="hidden")(x)
x = keras.layers.ReLU(name="relu")(x)
logits_layer = keras.layers.Dense(10, name="logits")
logits = logits_layer(x)
probs = keras.layers.Activation("softmax", name="probs")(logits)
chain = keras.Model(inp, probs, name="functional_chain")
chain.save(f"{out}/functional_chain.keras")
refs["functional_chain"] = keras.Model(inp, logits)(pattern).numpy()[0].tolist()
refs["functional_chain_probs"] = chain(pattern).numpy()[0].tolist()

# The same layers as a Sequential, softmax as the last Dense's activation.
seq = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(8, activation="relu"),
                        keras.layers.Dense(3, activation="softmax")], name="sequential_softmax")
seq.save(f"{out}/sequential_softmax.keras")
pre = keras.Model(seq.inputs, seq.layers[-2].output)(pattern).numpy()
w, b = seq.layers[-1].get_weights()
refs["sequential_softmax"] = (pre @ w + b)[0].tolist()

# A residual block: not a chain, so jlip must refuse it and name the layer.
inp = keras.Input((4,), name="vec")
h = keras.layers.Dense(4, name="a")(inp)
g = keras.layers.Dense(4, name="b")(h)
s = keras.layers.Add(name="skip")([h, g])
y = keras.layers.Dense(2, name="out")(s)
keras.Model(inp, y, name="residual").save(f"{out}/functional_residual.keras")

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
