"""Writes channels_first Keras models whose SavedModel does not begin with the NCHW -> NHWC transpose, and their
reference outputs.

    python src/test/python/make_channels_first_entry_fixtures.py src/test/resources/keras/channels_first_entry

The files are committed; this script documents how they were made. TensorFlow's CPU kernels want NHWC, so the
export of a channels_first convolution transposes its input to NHWC first; jlip takes that transpose as the sign
that the model reads NCHW images. Here other steps come first: a Rescaling and a ZeroPadding2D (`rescaled`), or
the input feeds two convolutions whose outputs are concatenated over the channels (`branched`); and global
average and max pooling over (H, W), which the export writes as a Mean or Max over axes 2 and 3 of NCHW
(`pooled_average`, `pooled_max`). Input (C, H, W) =
(2, 6, 5). reference-logits.json holds, per model, 4 inputs laid out NHWC as jlip takes them (the pattern
x[c, h, w] = ((c * H + h) * W + w) % 7 / 7, then 3 random ones) and the logits of the exported model's
serving function on them (Keras 3.15's eager channels_first Conv2D adds its bias along the wrong axis).
In "square" each layer's filters equal its output's width (5, 5, then 6). Keras's TensorFlow backend then writes
the bias as a BiasAdd in NHWC format on the NCHW activation, which adds it along the width. TensorFlow's graph
optimiser fuses the Conv2D's BiasAdd into the convolution and adds that one per channel; the depthwise and the
transposed convolution's stay along the width. The export's logits are what its signature computes; "meant" holds
the logits of the layers' meaning (every bias per channel), from a channels_last twin with the same weights.
"""
import json
import sys

import keras
import numpy as np
import tensorflow as tf

out = sys.argv[1]
rng = np.random.default_rng(71)
C, H, W = 2, 6, 5
L = keras.layers


def rescaled():
    i = keras.Input((C, H, W))
    x = L.Rescaling(0.5, offset=0.1, name="rescale")(i)
    x = L.ZeroPadding2D(((1, 0), (0, 2)), data_format="channels_first", name="pad")(x)
    x = L.Conv2D(3, 2, activation="relu", data_format="channels_first", name="conv")(x)
    x = L.Flatten(data_format="channels_first", name="flat")(x)
    return keras.Model(i, L.Dense(3, name="logits")(x), name="rescaled")


def branched():
    i = keras.Input((C, H, W))
    a = L.Conv2D(3, 2, padding="same", data_format="channels_first", name="conv_a")(i)
    b = L.Conv2D(2, 1, data_format="channels_first", name="conv_b")(i)
    x = L.Concatenate(axis=1, name="concat")([a, b])
    x = L.Flatten(data_format="channels_first", name="flat")(x)
    return keras.Model(i, L.Dense(3, name="logits")(x), name="branched")


def pooled(kind):
    i = keras.Input((C, H, W))
    x = L.Conv2D(3, 2, activation="tanh", data_format="channels_first", name="conv")(i)
    pool = L.GlobalAveragePooling2D if kind == "average" else L.GlobalMaxPooling2D
    x = pool(data_format="channels_first", name="pool")(x)
    return keras.Model(i, L.Dense(3, name="logits")(x), name=f"pooled_{kind}")


def square():
    i = keras.Input((C, H, W))
    x = L.Conv2D(5, 3, padding="same", data_format="channels_first", name="conv")(i)
    x = L.DepthwiseConv2D(2, padding="same", data_format="channels_first", name="depthwise")(x)
    x = L.Conv2DTranspose(6, 2, data_format="channels_first", name="transposed")(x)
    x = L.Flatten(data_format="channels_first", name="flat")(x)
    return keras.Model(i, L.Dense(3, name="logits")(x), name="square")


def channels_last_twin(model):
    i = keras.Input((H, W, C))
    x = L.Conv2D(5, 3, padding="same", name="conv")(i)
    x = L.DepthwiseConv2D(2, padding="same", name="depthwise")(x)
    x = L.Conv2DTranspose(6, 2, name="transposed")(x)
    # Flatten(data_format="channels_first") flattens in NHWC order, so the twin's plain Flatten matches it.
    twin = keras.Model(i, L.Dense(3, name="logits")(L.Flatten()(x)))
    for layer in ("conv", "depthwise", "transposed", "logits"):
        twin.get_layer(layer).set_weights(model.get_layer(layer).get_weights())
    return twin


pattern = (np.arange(C * H * W) % 7 / 7).astype("float32").reshape(1, C, H, W)
x = np.concatenate([pattern, rng.uniform(0, 1, (3, C, H, W)).astype("float32")])
refs = {"tensorflow": tf.__version__, "keras": keras.__version__}
for build in (rescaled, branched, lambda: pooled("average"), lambda: pooled("max"), square):
    model = build()
    for layer in model.layers:
        layer.set_weights([rng.normal(0, .5, w.shape).astype("float32") for w in layer.get_weights()])
    model.save(f"{out}/{model.name}.keras")
    model.export(f"{out}/{model.name}_export", verbose=False)
    loaded = tf.saved_model.load(f"{out}/{model.name}_export")
    refs[model.name] = {"inputs": x.transpose(0, 2, 3, 1).reshape(4, -1).tolist(),
                        "logits": loaded.serve(tf.constant(x)).numpy().tolist()}
    if model.name == "square":
        refs["square"]["meant"] = channels_last_twin(model)(x.transpose(0, 2, 3, 1)).numpy().tolist()
with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
