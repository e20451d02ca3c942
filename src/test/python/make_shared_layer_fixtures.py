"""Writes a Keras model whose layers are called more than once, and its reference outputs.

    python src/test/python/make_shared_layer_fixtures.py src/test/resources/keras/shared_layers

The files are committed; this script documents how they were made. One ReLU and one MaxPooling2D instance follow
both convolutions; one Dense reads the flattened image and its tanh, the two calls added; the ReLU is called a third
time after the Add. Input (H, W, C) = (8, 8, 1). Saved as .keras, as legacy .h5 and as model.export().
"shared_chain" (.keras only) calls one Dense(6) and one ReLU twice in a row on a 6-vector, which jlip can convert.
"shared_tower" (.keras and .h5) calls one nested Functional model on a 6-vector and on its tanh and subtracts the
second from the first; "tower_twice" ends in a second call of a nested model (its output reference names that call).
Keras 3 numbers a nested Functional model's calls from 1 in the model's output reference, from 0 in inbound tensors.
reference-logits.json holds, per model, 4 inputs (the pattern x[i] = (i % 7) / 7 row-major, then 3 random ones)
and the Keras model's logits on them (the exported model's for shared_layers).
"""
import json
import sys

import keras
import numpy as np
import tensorflow as tf

out = sys.argv[1]
rng = np.random.default_rng(91)
L = keras.layers
shape = (8, 8, 1)
pattern = (np.arange(np.prod(shape)) % 7 / 7).astype("float32").reshape((1,) + shape)
x = np.concatenate([pattern, rng.uniform(0, 1, (3,) + shape).astype("float32")])

i = keras.Input(shape)
act, pool = L.ReLU(name="act"), L.MaxPooling2D(name="pool")
h = pool(act(L.Conv2D(4, 3, padding="same", name="c1")(i)))
h = L.Flatten(name="flat")(pool(act(L.Conv2D(4, 3, padding="same", name="c2")(h))))
shared = L.Dense(6, name="shared")
h = act(L.Add(name="add")([shared(h), shared(L.Activation("tanh", name="tanh")(h))]))
model = keras.Model(i, L.Dense(3, name="logits")(h), name="shared_layers")
for layer in model.layers:
    layer.set_weights([rng.normal(0, .5, w.shape).astype("float32") for w in layer.get_weights()])
model.save(f"{out}/shared_layers.keras")
model.save(f"{out}/shared_layers.h5")
model.export(f"{out}/shared_layers_export", verbose=False)
loaded = tf.saved_model.load(f"{out}/shared_layers_export")
refs = {"tensorflow": tf.__version__, "keras": keras.__version__,
        "shared_layers": {"inputs": x.reshape(4, -1).tolist(), "logits": loaded.serve(tf.constant(x)).numpy().tolist()}}

v = keras.Input((6,))
dense, relu = L.Dense(6, name="shared"), L.ReLU(name="relu")
chain = keras.Model(v, L.Dense(3, name="logits")(relu(dense(relu(dense(v))))), name="shared_chain")
for layer in chain.layers:
    layer.set_weights([rng.normal(0, .5, w.shape).astype("float32") for w in layer.get_weights()])
chain.save(f"{out}/shared_chain.keras")
y = np.concatenate([(np.arange(6) % 7 / 7).astype("float32")[None], rng.uniform(0, 1, (3, 6)).astype("float32")])
refs["shared_chain"] = {"inputs": y.tolist(), "logits": chain(y).numpy().tolist()}

t = keras.Input((6,))
tower = keras.Model(t, L.Dense(6, name="tower_dense")(t), name="tower")
w = keras.Input((6,))
joined = L.Subtract(name="join")([tower(w), tower(L.Activation("tanh", name="tanh")(w))])
siamese = keras.Model(w, L.Dense(3, name="logits")(joined), name="shared_tower")
for layer in (tower.get_layer("tower_dense"), siamese.get_layer("logits")):
    layer.set_weights([rng.normal(0, .5, w.shape).astype("float32") for w in layer.get_weights()])
v = keras.Input((6,))
twice = keras.Model(v, tower(L.Activation("tanh", name="tanh")(tower(v))), name="tower_twice")
for model in (siamese, twice):
    model.save(f"{out}/{model.name}.keras")
    model.save(f"{out}/{model.name}.h5")
    refs[model.name] = {"inputs": y.tolist(), "logits": model(y).numpy().tolist()}
with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
