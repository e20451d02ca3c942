"""Writes channels_last deel-lip models as .keras files (src/test/resources/deel-lip) with Keras's reference logits.

Run once with Keras 3 (the interop venv):
    python src/test/python/make_deel_lip_fixtures.py src/test/resources/deel-lip [FASHION_MNIST_DIR]
deel-lip cannot be installed here, so its layers are re-implemented below from their definitions in deel-lip 2.0
(deel/lip/layers/{convolutional,dense,pooling,activations}.py, deel/lip/model.py), inference only. They are
registered under deel-lip's names and write what the real deel-lip 2.0 files of shared/models/python/deel_lip_keras3
hold: class_name, registered_name "deel-lip>NAME", module, config keys, an activation given as a nested layer,
weights as layers/<snake_class>/vars/{0,1,sn,sigma,wbar}. As in deel-lip, vars/0 is the raw kernel and inference
uses wbar; here wbar is the raw kernel orthogonalised exactly (an SVD with every singular value set to 1) where
deel-lip runs power iteration and Bjorck, so the constraints hold to float precision.

Besides the logits on the pattern input x[i] = (i % 7) / 7 (NHWC, row-major) and on the first 20 Fashion-MNIST
test images (/255), reference-logits.json records lower estimates that jlip's bounds must not go below: each
constrained layer's operator norm (power iteration on the layer itself, zero padding and strides included) and,
over images, random points and the pattern, the largest spectral norm of the model's Jacobian (what a whole-vector
bound L must cover), of a logit's gradient (a per-logit bound) and of a logit difference's gradient (what
rule divisor * L must cover for margin certificates to hold).
deel-lip's L2-norm pooling is sqrt(avgpool(x^2)) (its eps_grad_sqrt changes only the gradient); models with one
also get logits computed with 1e-6 under that square root, the formula jlip's ScaledL2NormPooling2D uses.
Layer names run on across the models (spectral_conv2d_2, ...) while the weight groups restart at each file
(layers/spectral_conv2d), as in any session that builds several models.
The files are committed; rerunning rewrites them with the same weights (fixed seeds) but new save dates.
"""
import gzip
import json
import os
import sys

import keras
import numpy as np
import tensorflow as tf
from keras import ops

out = sys.argv[1]
fashion_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
keras.utils.set_random_seed(11)
rng = np.random.default_rng(11)


def orthogonalised(kernel, scale):
    """kernel reshaped to [-1, units] with every singular value set to `scale`: deel-lip's wbar at convergence."""
    m = kernel.reshape(-1, kernel.shape[-1])
    u, _, vt = np.linalg.svd(m, full_matrices=False)
    return ((u @ vt) * scale).reshape(kernel.shape).astype("float32")


def conv_lip_factor(kernel_size, strides, h, w):
    """deel-lip's _compute_conv_lip_factor, folded into wbar. With stride 1 it divides by the mean number of taps a
    pixel meets, not the largest, so the conv's norm can exceed k (the demo's first conv measures 1.023)."""
    kh, kw = kernel_size
    if strides[0] * strides[1] == 1:
        a, b = (kh - 1) / 2, (kw - 1) / 2
        return np.sqrt(h * w / ((kh * h - a * (a + 1)) * (kw * w - b * (b + 1))))
    return np.sqrt(1 / (np.ceil(kh / strides[0]) * np.ceil(kw / strides[1])))


class ReparametrizedMixin:
    """The variables deel-lip's Spectral layers add to Keras's: the power-iteration vector sn, its estimate sigma
    and the inference kernel wbar, saved by name after Keras's own kernel (vars/0) and bias (vars/1)."""

    def add_reparametrization(self, power_vector=True):
        if power_vector:
            self.u = self.add_weight(shape=(1, self.kernel.shape[-1]), initializer="random_normal", name="sn",
                                     trainable=False)
            self.sig = self.add_weight(shape=(1, 1), initializer="ones", name="sigma", trainable=False)
        self.wbar = keras.Variable(self.kernel.value, trainable=False, name="wbar")

    def set_reparametrization(self, wbar):
        k = np.asarray(self.kernel)
        if hasattr(self, "u"):
            _, s, vt = np.linalg.svd(k.reshape(-1, k.shape[-1]), full_matrices=False)
            self.u.assign(vt[:1])
            self.sig.assign([[s[0]]])
        self.wbar.assign(wbar)

    def save_own_variables(self, store):
        super().save_own_variables(store)
        if hasattr(self, "u"):
            store["sn"] = self.u.numpy()
            store["sigma"] = self.sig.numpy()
        store["wbar"] = self.wbar.numpy()

    def load_own_variables(self, store):
        super().load_own_variables(store)
        if hasattr(self, "u"):
            self.u.assign(store["sn"])
            self.sig.assign(store["sigma"])
        self.wbar.assign(store["wbar"])


# deel-lip's defaults for the Bjorck/power-iteration settings it writes into every Spectral layer's config.
RKO_DEFAULTS = dict(eps_spectral=1e-3, eps_bjorck=1e-3, beta_bjorck=0.5, maxiter_spectral=10, maxiter_bjorck=15)


@keras.saving.register_keras_serializable("deel-lip", "SpectralConv2D")
class SpectralConv2D(ReparametrizedMixin, keras.layers.Conv2D):
    # The module deel-lip's class has, so config.json reads as deel-lip's own.
    __module__ = "deel.lip.layers.convolutional"

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="same", k_coef_lip=1.0,
                 kernel_initializer="orthogonal", **kwargs):
        self.rko = {key: kwargs.pop(key, value) for key, value in RKO_DEFAULTS.items()}
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         kernel_initializer=kernel_initializer, **kwargs)
        self.k_coef_lip = k_coef_lip

    def build(self, input_shape):
        super().build(input_shape)
        h, w = (input_shape[-3], input_shape[-2]) if self.data_format == "channels_last" else input_shape[-2:]
        self.coef = conv_lip_factor(self.kernel_size, self.strides, h, w)
        self.add_reparametrization()

    def orthogonalise(self):
        self.set_reparametrization(orthogonalised(np.asarray(self.kernel), self.coef * self.k_coef_lip))

    def call(self, x):
        y = ops.conv(x, self.wbar, strides=self.strides, padding=self.padding, data_format=self.data_format)
        if self.use_bias:
            shape = (1, 1, 1, self.filters) if self.data_format == "channels_last" else (1, self.filters, 1, 1)
            y = y + ops.reshape(self.bias, shape)
        return self.activation(y) if self.activation is not None else y

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip, **self.rko}


@keras.saving.register_keras_serializable("deel-lip", "SpectralDense")
class SpectralDense(ReparametrizedMixin, keras.layers.Dense):
    __module__ = "deel.lip.layers.dense"

    def __init__(self, units, k_coef_lip=1.0, kernel_initializer="orthogonal", **kwargs):
        self.rko = {key: kwargs.pop(key, value) for key, value in RKO_DEFAULTS.items()}
        super().__init__(units, kernel_initializer=kernel_initializer, **kwargs)
        self.k_coef_lip = k_coef_lip

    def build(self, input_shape):
        super().build(input_shape)
        self.add_reparametrization()

    def orthogonalise(self):
        self.set_reparametrization(orthogonalised(np.asarray(self.kernel), self.k_coef_lip))

    def call(self, x):
        y = ops.matmul(x, self.wbar)
        if self.use_bias:
            y = y + self.bias
        return self.activation(y) if self.activation is not None else y

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip, **self.rko}


@keras.saving.register_keras_serializable("deel-lip", "FrobeniusDense")
class FrobeniusDense(ReparametrizedMixin, keras.layers.Dense):
    """wbar = kernel / ||kernel|| * k: per column (each output its own k-Lipschitz neuron) when disjoint."""
    __module__ = "deel.lip.layers.dense"

    def __init__(self, units, disjoint_neurons=True, k_coef_lip=1.0, kernel_initializer="orthogonal", **kwargs):
        super().__init__(units, kernel_initializer=kernel_initializer, **kwargs)
        self.disjoint_neurons = disjoint_neurons
        self.k_coef_lip = k_coef_lip

    def build(self, input_shape):
        super().build(input_shape)
        self.add_reparametrization(power_vector=False)

    def orthogonalise(self):
        k = np.asarray(self.kernel)
        norm = np.linalg.norm(k, axis=0) if self.disjoint_neurons else np.linalg.norm(k)
        self.set_reparametrization((k / norm * self.k_coef_lip).astype("float32"))

    call = SpectralDense.call

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip, "disjoint_neurons": self.disjoint_neurons}


@keras.saving.register_keras_serializable("deel-lip", "GroupSort")
class GroupSort(keras.layers.Layer):
    """Sorts consecutive groups of n values of the last axis (n = None: the whole axis), times k_coef_lip."""
    __module__ = "deel.lip.layers.activations"

    def __init__(self, n=None, data_format="channels_last", k_coef_lip=1.0, **kwargs):
        super().__init__(**kwargs)
        if data_format != "channels_last":
            raise ValueError("deel-lip's GroupSort supports channels_last only")
        self.n = n
        self.data_format = data_format
        self.k_coef_lip = k_coef_lip

    def build(self, input_shape):
        if self.n is None or self.n > input_shape[-1]:
            self.n = input_shape[-1]
        if input_shape[-1] % self.n:
            raise ValueError("n must divide the number of channels")

    def call(self, x):
        shape = (-1,) + tuple(x.shape[1:])
        groups = ops.reshape(x, (-1, shape[-1] // self.n, self.n))
        if self.n == 2:
            a, b = groups[..., :1], groups[..., 1:]
            groups = ops.concatenate([ops.minimum(a, b), ops.maximum(a, b)], axis=-1)
        else:
            groups = ops.sort(groups, axis=-1)
        return ops.reshape(groups, shape) * self.k_coef_lip

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "n": self.n, "k_coef_lip": self.k_coef_lip, "data_format": self.data_format}


@keras.saving.register_keras_serializable("deel-lip", "GroupSort2")
class GroupSort2(GroupSort):
    __module__ = "deel.lip.layers.activations"

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "n": 2})


@keras.saving.register_keras_serializable("deel-lip", "FullSort")
class FullSort(GroupSort):
    __module__ = "deel.lip.layers.activations"

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "n": None})


@keras.saving.register_keras_serializable("deel-lip", "MaxMin")
class MaxMin(keras.layers.Layer):
    """[relu(x), relu(-x)] along the channel axis, times k_coef_lip."""
    __module__ = "deel.lip.layers.activations"

    def __init__(self, data_format="channels_last", k_coef_lip=1.0, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        axis = -1 if self.data_format == "channels_last" else 1
        return ops.concatenate([ops.relu(x), ops.relu(-x)], axis=axis) * self.k_coef_lip

    def compute_output_shape(self, input_shape):
        s = list(input_shape)
        s[-1 if self.data_format == "channels_last" else 1] *= 2
        return tuple(s)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "k_coef_lip": self.k_coef_lip}


# 0 is deel-lip's forward pass; record() sets 1e-6 to compute what jlip's pooling computes.
l2_pool_sqrt_eps = 0.0


@keras.saving.register_keras_serializable("deel-lip", "ScaledL2NormPooling2D")
class ScaledL2NormPooling2D(keras.layers.AveragePooling2D):
    """sqrt(mean of x^2 over each window) * sqrt(window size) * k: the window's L2 norm times k."""
    __module__ = "deel.lip.layers.pooling"

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, k_coef_lip=1.0,
                 eps_grad_sqrt=1e-6, **kwargs):
        super().__init__(pool_size=pool_size, strides=pool_size, padding=padding, data_format=data_format, **kwargs)
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        mean_square = super().call(ops.square(x)) + l2_pool_sqrt_eps
        return ops.sqrt(mean_square) * np.sqrt(np.prod(self.pool_size)) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip}


@keras.saving.register_keras_serializable("deel-lip", "ScaledGlobalL2NormPooling2D")
class ScaledGlobalL2NormPooling2D(keras.layers.GlobalAveragePooling2D):
    """sqrt(sum over H, W of x^2) * k."""
    __module__ = "deel.lip.layers.pooling"

    def __init__(self, data_format=None, k_coef_lip=1.0, eps_grad_sqrt=1e-6, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        axes = [1, 2] if self.data_format == "channels_last" else [2, 3]
        return ops.sqrt(ops.sum(ops.square(x), axis=axes)) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip}


@keras.saving.register_keras_serializable("deel-lip", "ScaledGlobalAveragePooling2D")
class ScaledGlobalAveragePooling2D(keras.layers.GlobalAveragePooling2D):
    """mean over H, W * sqrt(H * W) * k."""
    __module__ = "deel.lip.layers.pooling"

    def __init__(self, data_format=None, k_coef_lip=1.0, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        h, w = (x.shape[1], x.shape[2]) if self.data_format == "channels_last" else (x.shape[2], x.shape[3])
        return super().call(x) * np.sqrt(h * w) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip}


@keras.saving.register_keras_serializable("deel-lip", "Sequential")
class Sequential(keras.Sequential):
    """deel-lip's Sequential spreads k_coef_lip over its Lipschitz layers (k^(1/n) each); the models here keep 1."""
    __module__ = "deel.lip.model"

    def __init__(self, layers=None, name=None, k_coef_lip=1.0, **kwargs):
        super().__init__(layers, name=name, **kwargs)
        self.k_coef_lip = k_coef_lip

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip}


@keras.saving.register_keras_serializable("deel-lip", "Model")
class Model(keras.Model):
    __module__ = "deel.lip.model"


def finish(model, path, kernels=None):
    """Gives every constrained layer its wbar (from `kernels[name]` where given) and a non-zero bias, saves, and
    checks the file reloads equal."""
    for layer in model.layers:
        if kernels and layer.name in kernels:
            layer.kernel.assign(kernels[layer.name].astype("float32"))
        if hasattr(layer, "orthogonalise"):
            if layer.use_bias:
                layer.bias.assign(rng.normal(0, 0.1, layer.bias.shape).astype("float32"))
            layer.orthogonalise()
    # A traced call, as in fit(), builds the activations nested in layers for any batch size; they then save their
    # build_config as a trained deel-lip model's do.
    probe = rng.random((4, 28, 28, 1), dtype=np.float32)
    tf.function(model, input_signature=[tf.TensorSpec((None, 28, 28, 1))])(probe)
    expected = np.asarray(model(probe))
    model.save(path)
    np.testing.assert_array_equal(expected, np.asarray(keras.saving.load_model(path)(probe)))
    return model


def operator_norm(layer, input_shape, iterations=500):
    """||A||_2 of the linear part of a Spectral layer (wbar, no bias or activation) by power iteration on A^T A."""
    if isinstance(layer, keras.layers.Conv2D):
        def apply(v):
            return tf.nn.conv2d(v, layer.wbar, strides=layer.strides, padding=layer.padding.upper())
    else:
        def apply(v):
            return tf.matmul(v, layer.wbar)
    v = tf.random.normal((1,) + tuple(input_shape), seed=1)
    for _ in range(iterations):
        with tf.GradientTape() as tape:
            tape.watch(v)
            half_sq = 0.5 * tf.reduce_sum(tf.square(apply(v)))
        g = tape.gradient(half_sq, v)
        v = g / tf.norm(g)
    return float(tf.norm(apply(v)))


def gradient_norms(model, xs):
    """Over xs, the largest spectral norm of the Jacobian, norm of one logit's gradient and of the gradient of a
    difference of two logits: lower bounds of the constants a whole, per-logit and margin certificate rely on."""
    x = tf.constant(xs)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = model(x)
    jac = tape.batch_jacobian(y, x).numpy().reshape(len(xs), y.shape[-1], -1)
    pairs = [np.linalg.norm(j[a] - j[b]) for j in jac for a in range(len(j)) for b in range(a)]
    return {"jacobian_norm_max": float(max(np.linalg.norm(j, 2) for j in jac)),
            "logit_gradient_norm_max": float(np.linalg.norm(jac, axis=-1).max()),
            "logit_difference_gradient_norm_max": float(max(pairs, default=0.0))}


def idx(name, offset):
    with gzip.open(os.path.join(fashion_dir, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


images = (idx("t10k-images-idx3-ubyte.gz", 16)[:20 * 784].reshape(20, 28, 28, 1) / 255).astype("float32")
labels = idx("t10k-labels-idx1-ubyte.gz", 8)[:20]
pattern = (np.arange(28 * 28) % 7 / 7).astype("float32").reshape(1, 28, 28, 1)
probes = np.concatenate([images, pattern, rng.random((40, 28, 28, 1), dtype=np.float32)])
refs = {"keras": keras.__version__,
        "inputs": {"pattern": "x[i] = (i % 7) / 7, NHWC [1, 28, 28, 1]",
                   "fashion_mnist_test": "the first 20 Fashion-MNIST test images / 255, NHWC"},
        "fashion_mnist_test_labels": labels.tolist(), "models": {}}


def record(key, model, description):
    """Logits and lower bounds of a saved model; operator norms keyed by the layer names jlip reports."""
    global l2_pool_sqrt_eps
    norms = {}
    for layer in model.layers:
        if isinstance(layer, (SpectralConv2D, SpectralDense, FrobeniusDense)):
            norms[layer.name] = operator_norm(layer, layer.input.shape[1:])
    entry = refs["models"][key] = {
        "file": key + ".keras", "description": description,
        "pattern": model(pattern).numpy()[0].tolist(),
        "fashion_mnist_test": model(images).numpy().tolist(),
        "operator_norms": norms, **gradient_norms(model, probes)}
    if any(isinstance(layer, ScaledL2NormPooling2D) for layer in model.layers):
        l2_pool_sqrt_eps = 1e-6
        entry["pattern_sqrt_eps"] = model(pattern).numpy()[0].tolist()
        entry["fashion_mnist_test_sqrt_eps"] = model(images).numpy().tolist()
        l2_pool_sqrt_eps = 0.0


# (a) deel-lip's Fashion-MNIST demo (HKR multiclass), narrower: GroupSort2 / GroupSort(2) as the Spectral layers'
# activation, L2-norm pooling, a disjoint FrobeniusDense head without bias (margin / 2 certificates).
demo = Sequential([
    keras.Input((28, 28, 1)),
    SpectralConv2D(8, (3, 3), activation=GroupSort2()),
    ScaledL2NormPooling2D(pool_size=(2, 2), data_format="channels_last"),
    SpectralConv2D(16, (3, 3), activation=GroupSort(2)),
    ScaledL2NormPooling2D(pool_size=(2, 2), data_format="channels_last"),
    keras.layers.Flatten(),
    SpectralDense(32, activation=GroupSort2()),
    FrobeniusDense(10, activation=None, use_bias=False),
], name="hkr_model", k_coef_lip=1.0)
record("demo_channels_last", finish(demo, f"{out}/demo_channels_last.keras"),
       "deel-lip's Fashion-MNIST demo convnet (8/16 filters, dense 32), disjoint FrobeniusDense(10) head")

# (b) strided SpectralConv2D (coefficient 1/2 for 3x3 stride 2), k_coef_lip 2 on one conv, MaxMin and GroupSort(4)
# as layers, a global L2-norm pooling head and a disjoint FrobeniusDense(10), as a deel-lip Model (Functional).
inp = keras.Input((28, 28, 1))
x = SpectralConv2D(6, (3, 3), strides=(2, 2))(inp)
x = MaxMin()(x)
x = SpectralConv2D(16, (3, 3), strides=(2, 2), k_coef_lip=2.0)(x)
x = GroupSort(n=4)(x)
x = SpectralConv2D(16, (3, 3), activation=GroupSort2())(x)
x = ScaledGlobalL2NormPooling2D()(x)
strided = Model(inp, FrobeniusDense(10)(x), name="strided")
record("strided_channels_last", finish(strided, f"{out}/strided_channels_last.keras"),
       "strided SpectralConv2D, k_coef_lip 2 on one conv, MaxMin, GroupSort(4), ScaledGlobalL2NormPooling2D,"
       " disjoint FrobeniusDense(10)")

# (c) a dense binary classifier: one logit, certified by |f| / L.
binary = Sequential([
    keras.Input((28, 28, 1)),
    keras.layers.Flatten(),
    SpectralDense(32, activation=FullSort()),
    SpectralDense(16),
    GroupSort2(),
    FrobeniusDense(1),
], name="dense_binary", k_coef_lip=1.0)
record("dense_binary", finish(binary, f"{out}/dense_binary.keras"),
       "Flatten, SpectralDense(32)+FullSort, SpectralDense(16), GroupSort2, FrobeniusDense(1)")

# (d) GroupSort(4) as a strided conv's activation, a scaled global average pooling with k_coef_lip 0.5 and a
# SpectralDense head (margin / sqrt(2) certificates). MaxMin cannot be a conv's activation in a saved Sequential:
# Keras 3 rebuilds the next layer from Conv2D's output shape, which does not double the channels.
gap = Sequential([
    keras.Input((28, 28, 1)),
    SpectralConv2D(4, (3, 3), activation=GroupSort2()),
    ScaledL2NormPooling2D(pool_size=(2, 2)),
    SpectralConv2D(8, (3, 3), strides=(2, 2), activation=GroupSort(n=4)),
    ScaledGlobalAveragePooling2D(k_coef_lip=0.5),
    SpectralDense(10),
], name="global_average", k_coef_lip=1.0)
record("global_average_channels_last", finish(gap, f"{out}/global_average_channels_last.keras"),
       "GroupSort2 and GroupSort(4) as conv activations, ScaledGlobalAveragePooling2D(k_coef_lip=0.5),"
       " SpectralDense(10) head")

# (e) a disjoint FrobeniusDense head with its default bias and two nearly opposite neurons: each logit is
# 1-Lipschitz but f_0 - f_1 is almost 2-Lipschitz, so certificates need margin / 2, not margin / sqrt(2). The
# strided 3x3 conv (stride 4, no overlap) and the orthogonal dense layer keep that gradient norm everywhere.
keras.backend.clear_session()
w_head = rng.normal(size=(16, 3))
w_head[:, 1] = -w_head[:, 0] + 0.05 * rng.normal(size=16)
head_bias = Sequential([
    keras.Input((28, 28, 1)),
    SpectralConv2D(2, (3, 3), strides=(4, 4)),
    keras.layers.Flatten(),
    SpectralDense(16, activation=GroupSort2()),
    FrobeniusDense(3, name="head"),
], name="disjoint_head_bias", k_coef_lip=1.0)
record("disjoint_head_bias", finish(head_bias, f"{out}/disjoint_head_bias.keras", {"head": w_head}),
       "strided SpectralConv2D, SpectralDense(16)+GroupSort2, disjoint FrobeniusDense(3) with bias, neurons 0 and 1"
       " nearly opposite")

# (f) a disjoint FrobeniusDense inside the network (deel-lip's default disjoint_neurons=True) with nearly parallel
# neurons: each column has norm 1 but the layer's spectral norm is close to sqrt(16) = 4, and the SpectralDense head
# reads the sum of its outputs.
keras.backend.clear_session()
w_hidden = rng.normal(size=(98, 1)) + 0.3 * rng.normal(size=(98, 16))
w_out = rng.normal(size=(16, 4))
w_out[:, 0] = 1 + 0.01 * rng.normal(size=16)
hidden = Sequential([
    keras.Input((28, 28, 1)),
    SpectralConv2D(2, (3, 3), strides=(4, 4)),
    keras.layers.Flatten(),
    FrobeniusDense(16, activation=GroupSort2(), name="hidden"),
    SpectralDense(4, name="out"),
], name="hidden_frobenius", k_coef_lip=1.0)
record("hidden_frobenius", finish(hidden, f"{out}/hidden_frobenius.keras", {"hidden": w_hidden, "out": w_out}),
       "strided SpectralConv2D, disjoint FrobeniusDense(16)+GroupSort2 with nearly parallel neurons, SpectralDense(4)")

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
    f.write("\n")
