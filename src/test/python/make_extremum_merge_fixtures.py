"""Writes Keras models that join two branches by Maximum or Minimum, and their reference outputs.

    python src/test/python/make_extremum_merge_fixtures.py src/test/resources/keras/extremum

The files are committed; this script documents how they were made. Each model forks after a convolution into a
3x3 convolution and a 1x1 one, joins them element-wise by Maximum (or Minimum), then flattens into a Dense layer;
as a .keras file and as model.export() (a TensorFlow Maximum or Minimum op of two activations). Input (H, W, C) =
(6, 5, 2). reference-logits.json holds, per model, 4 inputs (the pattern x[i] = (i % 7) / 7 row-major, then 3
random ones) and the exported model's logits on them.
"""
import json
import sys

import keras
import numpy as np
import tensorflow as tf

out = sys.argv[1]
rng = np.random.default_rng(83)
L = keras.layers
shape = (6, 5, 2)
pattern = (np.arange(np.prod(shape)) % 7 / 7).astype("float32").reshape((1,) + shape)
x = np.concatenate([pattern, rng.uniform(0, 1, (3,) + shape).astype("float32")])
refs = {"tensorflow": tf.__version__, "keras": keras.__version__}
for kind in ("maximum", "minimum"):
    i = keras.Input(shape)
    h = L.Conv2D(4, 3, padding="same", activation="relu", name="stem")(i)
    a = L.Conv2D(3, 3, padding="same", name="wide")(h)
    b = L.Conv2D(3, 1, name="narrow")(h)
    m = (L.Maximum if kind == "maximum" else L.Minimum)(name=kind)([a, b])
    model = keras.Model(i, L.Dense(4, name="logits")(L.Flatten(name="flat")(m)), name=kind)
    for layer in model.layers:
        layer.set_weights([rng.normal(0, .5, w.shape).astype("float32") for w in layer.get_weights()])
    model.save(f"{out}/{kind}.keras")
    model.export(f"{out}/{kind}_export", verbose=False)
    loaded = tf.saved_model.load(f"{out}/{kind}_export")
    refs[kind] = {"inputs": x.reshape(4, -1).tolist(), "logits": loaded.serve(tf.constant(x)).numpy().tolist()}
with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
