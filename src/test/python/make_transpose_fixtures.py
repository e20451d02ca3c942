"""Writes the transposed-convolution fixtures of src/test/resources/keras/transpose and their reference logits.

Run with Keras 3 (the interop venv):
    python src/test/python/make_transpose_fixtures.py src/test/resources/keras/transpose
The files are committed; this script documents how they were made.
- transpose_channels_last.keras / .h5 and transpose_channels_first.keras (the same weights): Conv2DTranspose with
  stride 1 and same padding, stride 2 and same padding, strides (2, 1) with a 3x2 kernel and valid padding, and a
  stride larger than its kernel (valid), then Flatten and Dense; transpose_export is model.export() of the first
  (Conv2DBackpropInput in the graph).
- spectral_transpose.keras: deel-lip's SpectralConv2DTranspose re-implemented from its definition (deel-lip is not
  installable here), so that the file holds the class name, config keys and variables deel-lip writes: vars/0 the
  free kernel, vars/wbar the constrained kernel it runs at inference, vars/sn and vars/sigma. wbar is the kernel
  made orthogonal as deel-lip's reshaped-kernel normalisation leaves it (the [kh, kw, C_in, filters] transpose
  reshaped to rows of kh * kw * C_in has every singular value equal to the conv coefficient), and vars/0 is left
  unconstrained so that a reader taking the wrong variable gets other logits.
reference-logits.json holds, per model, 4 inputs (the pattern x[i] = (i % 7) / 7, row-major in the model's layout,
then 3 random ones) and Keras's logits on them.
"""
import json
import sys

import keras
import numpy as np
from keras_references import reference

out = sys.argv[1]
keras.utils.set_random_seed(13)
rng = np.random.default_rng(21)
refs = {"keras": keras.__version__}
L = keras.layers


def transposed(fmt):
    shape = (6, 5, 2) if fmt == "channels_last" else (2, 6, 5)
    return keras.Sequential([keras.Input(shape),
                             L.Conv2DTranspose(3, 3, padding="same", activation="relu", data_format=fmt, name="same_s1"),
                             L.Conv2DTranspose(4, 3, strides=2, padding="same", data_format=fmt, name="same_s2"),
                             L.Activation("tanh", name="act"),
                             L.Conv2DTranspose(3, (3, 2), strides=(2, 1), padding="valid", data_format=fmt,
                                               name="valid_s21"),
                             L.Conv2DTranspose(2, 2, strides=3, padding="valid", use_bias=False, data_format=fmt,
                                               name="valid_s3_k2"),
                             L.Flatten(data_format=fmt, name="flat"), L.Dense(4, name="logits")],
                            name="transpose_" + fmt)


last = transposed("channels_last")
first = transposed("channels_first")
first.set_weights(last.get_weights())
last.save(f"{out}/transpose_channels_last.keras")
last.save(f"{out}/transpose_channels_last.h5")
first.save(f"{out}/transpose_channels_first.keras")
last.export(f"{out}/transpose_export", verbose=False)
reference(refs, rng, last, "transpose_channels_last")
reference(refs, rng, first, "transpose_channels_first")


def conv_coefficient(kh, kw, sh, sw, h, w):
    """deel-lip's _compute_conv_lip_factor (channels_last input [h, w])."""
    if sh * sw == 1:
        a, b = (kh - 1) / 2, (kw - 1) / 2
        return np.sqrt(w * h / ((kh * h - a * (a + 1)) * (kw * w - b * (b + 1))))
    return np.sqrt(1.0 / (np.ceil(kh / sh) * np.ceil(kw / sw)))


@keras.saving.register_keras_serializable("deel-lip", "SpectralConv2DTranspose")
class SpectralConv2DTranspose(L.Conv2DTranspose):
    """Runs wbar at inference; saves vars/0, vars/1, vars/sn, vars/sigma, vars/wbar as deel-lip's Spectral layers."""

    def __init__(self, k_coef_lip=1.0, eps_spectral=1e-3, eps_bjorck=1e-3, beta_bjorck=0.5, maxiter_spectral=3,
                 maxiter_bjorck=15, **kwargs):
        super().__init__(**kwargs)
        self.k_coef_lip = k_coef_lip
        self.extra = dict(eps_spectral=eps_spectral, eps_bjorck=eps_bjorck, beta_bjorck=beta_bjorck,
                          maxiter_spectral=maxiter_spectral, maxiter_bjorck=maxiter_bjorck)

    def build(self, input_shape):
        super().build(input_shape)
        kh, kw = self.kernel_size
        sh, sw = self.strides
        coef = conv_coefficient(kh, kw, sh, sw, input_shape[1], input_shape[2]) * self.k_coef_lip
        k = self.kernel.numpy()
        m = np.transpose(k, (0, 1, 3, 2)).reshape(-1, k.shape[2])
        u, _, vt = np.linalg.svd(m, full_matrices=False)
        w = (u @ vt * coef).reshape(kh, kw, k.shape[3], k.shape[2]).transpose(0, 1, 3, 2)
        self.wbar = keras.Variable(w.astype("float32"), trainable=False, name="wbar")
        self.sn = keras.Variable(np.ones((1, self.filters), "float32"), trainable=False, name="sn")
        self.sigma = keras.Variable(np.ones((1, 1), "float32"), trainable=False, name="sigma")

    def call(self, x):
        y = keras.ops.conv_transpose(x, self.wbar, strides=list(self.strides), padding=self.padding,
                                     data_format=self.data_format)
        return y + self.bias if self.use_bias else y

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip, **self.extra}

    def save_own_variables(self, store):
        store["0"] = self.kernel.numpy()
        if self.use_bias:
            store["1"] = self.bias.numpy()
        store["sn"] = self.sn.numpy()
        store["sigma"] = self.sigma.numpy()
        store["wbar"] = self.wbar.numpy()

    def load_own_variables(self, store):
        self.kernel.assign(store["0"])
        if self.use_bias:
            self.bias.assign(store["1"])
        self.wbar.assign(store["wbar"])


spectral = keras.Sequential([keras.Input((7, 7, 2)),
                             SpectralConv2DTranspose(filters=4, kernel_size=3, strides=2, padding="same",
                                                     name="spectral_conv2d_transpose"),
                             L.Flatten(name="flat"), L.Dense(3, name="logits")], name="spectral_transpose")
spectral.layers[0].bias.assign(rng.normal(0, 0.1, 4).astype("float32"))
spectral.save(f"{out}/spectral_transpose.keras")
reference(refs, rng, spectral, "spectral_transpose")

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
