"""Writes the dilated-convolution Keras fixtures of src/test/resources/keras/dilated and their reference logits.

Run with Keras 3 (the interop venv):
    python src/test/python/make_dilated_fixtures.py src/test/resources/keras src/test/resources/keras/dilated
The files are committed; this script documents how they were made. A model with dilated Conv2D (same and valid,
equal and unequal rates), DepthwiseConv2D and SeparableConv2D, saved as .keras and .h5; and the earlier
dilated_conv.keras fixture. reference-logits.json holds, per model, 4 inputs (the pattern x[i] = (i % 7) / 7,
row-major NHWC, then 3 random ones) and Keras's logits on them.
"""
import json
import sys

import keras
import numpy as np
from keras_references import reference

src, out = sys.argv[1], sys.argv[2]
keras.utils.set_random_seed(5)
rng = np.random.default_rng(8)
refs = {"keras": keras.__version__}


inp = keras.Input((20, 20, 2))
x = keras.layers.Conv2D(4, 3, dilation_rate=2, padding="same", activation="relu", name="same_d2")(inp)
x = keras.layers.DepthwiseConv2D(3, dilation_rate=(2, 3), name="depthwise_d23")(x)
x = keras.layers.SeparableConv2D(3, 3, dilation_rate=2, padding="same", activation="tanh", name="separable_d2")(x)
x = keras.layers.Conv2D(3, 2, dilation_rate=(1, 3), name="valid_d13")(x)
x = keras.layers.Flatten(name="flat")(x)
out_layer = keras.layers.Dense(4, name="logits")(x)
model = keras.Model(inp, out_layer, name="dilated")
model.save(f"{out}/dilated.keras")
model.save(f"{out}/dilated.h5")
reference(refs, rng, model, "dilated")
reference(refs, rng, keras.models.load_model(f"{src}/dilated_conv.keras"), "dilated_conv")

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
