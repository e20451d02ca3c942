"""Writes the resizing Keras fixtures of src/test/resources/keras/resize and their reference logits.

Run with Keras 3 (the interop venv):
    python src/test/python/make_resize_fixtures.py src/test/resources/keras/resize
The files are committed; this script documents how they were made. Two models that change image sizes inside
the network: Resizing (bilinear up and down, nearest, crop_to_aspect_ratio), UpSampling2D (nearest, which Keras
runs as tf.repeat, and bilinear) and CenterCrop, channels_last (as .keras, .h5 and a model.export() SavedModel)
and channels_first (.keras and SavedModel). reference-logits.json holds, per model, 4 inputs (the pattern
x[i] = (i % 7) / 7, row-major in the model's layout, then 3 random ones) and Keras's logits on them.
"""
import json
import sys

import keras
import numpy as np
from keras_references import reference

out = sys.argv[1]
keras.utils.set_random_seed(11)
rng = np.random.default_rng(12)
refs = {"keras": keras.__version__}
L = keras.layers


inp = keras.Input((14, 16, 2))
x = L.Resizing(20, 24, name="up_bilinear")(inp)
x = L.Conv2D(3, 3, padding="same", activation="relu", name="conv")(x)
x = L.UpSampling2D((2, 1), name="up_nearest")(x)
x = L.CenterCrop(30, 20, name="center")(x)
x = L.Resizing(12, 9, interpolation="nearest", name="down_nearest")(x)
x = L.UpSampling2D(2, interpolation="bilinear", name="up2_bilinear")(x)
x = L.Resizing(10, 10, crop_to_aspect_ratio=True, name="square_crop")(x)
x = L.Resizing(7, 6, name="down_bilinear")(x)
x = L.Flatten(name="flat")(x)
logits = L.Dense(4, name="logits")(x)
model = keras.Model(inp, logits, name="resize_cnn")
model.save(f"{out}/resize_cnn.keras")
model.save(f"{out}/resize_cnn.h5")
model.export(f"{out}/resize_cnn_export", verbose=False)
reference(refs, rng, model, "resize_cnn")

inp = keras.Input((2, 9, 11))
x = L.UpSampling2D((1, 2), data_format="channels_first", name="up")(inp)
x = L.Resizing(13, 8, data_format="channels_first", name="resize")(x)
x = L.CenterCrop(11, 7, data_format="channels_first", name="center")(x)
x = L.Flatten(name="flat")(x)
logits = L.Dense(3, name="logits")(x)
model = keras.Model(inp, logits, name="resize_channels_first")
model.save(f"{out}/resize_channels_first.keras")
model.export(f"{out}/resize_channels_first_export", verbose=False)
reference(refs, rng, model, "resize_channels_first")

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
