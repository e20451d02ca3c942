"""Writes the plain-Keras .keras fixtures of src/test/resources/keras and their reference logits.

Run once with Keras 3 (the interop venv): python src/test/python/make_keras_fixtures.py src/test/resources/keras
The files are committed; this script documents how they were made. Logits are taken before the final softmax,
computed by Keras itself on the pattern input x[i] = (i % 7) / 7 (NHWC, row-major).
Rerunning rewrites every file with the same weights and logits but new save dates and object ids (Keras writes
them into metadata.json and config.json); new fixtures go at the end so the random stream of earlier ones is kept.
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

# deel-lip's global poolings, re-implemented here from their definitions (deel-lip is not installable on this
# machine): the file then holds the class names and config keys deel-lip writes, and Keras computes the logits.
@keras.saving.register_keras_serializable("deel-lip", "ScaledGlobalAveragePooling2D")
class ScaledGlobalAveragePooling2D(keras.layers.GlobalAveragePooling2D):
    """mean over H, W times sqrt(H * W) times k_coef_lip."""

    def __init__(self, k_coef_lip=1.0, **kwargs):
        super().__init__(**kwargs)
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        h, w = (x.shape[1], x.shape[2]) if self.data_format == "channels_last" else (x.shape[2], x.shape[3])
        return super().call(x) * np.sqrt(h * w) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip}


@keras.saving.register_keras_serializable("deel-lip", "ScaledGlobalL2NormPooling2D")
class ScaledGlobalL2NormPooling2D(keras.layers.GlobalAveragePooling2D):
    """sqrt(sum over H, W of x^2) times k_coef_lip."""

    def __init__(self, k_coef_lip=1.0, eps_grad_sqrt=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        axes = [1, 2] if self.data_format == "channels_last" else [2, 3]
        return keras.ops.sqrt(keras.ops.sum(keras.ops.square(x), axis=axes)) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip}


@keras.saving.register_keras_serializable("deel-lip", "MaxMin")
class MaxMin(keras.layers.Layer):
    """concat(relu(x), relu(-x)) along the channel axis of data_format, times k_coef_lip."""

    def __init__(self, data_format="channels_last", k_coef_lip=1.0, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        axis = -1 if self.data_format == "channels_last" else 1
        return keras.ops.concatenate([keras.ops.relu(x), keras.ops.relu(-x)], axis=axis) * self.k_coef_lip

    def compute_output_shape(self, s):
        s = list(s)
        s[-1 if self.data_format == "channels_last" else 1] *= 2
        return tuple(s)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "k_coef_lip": self.k_coef_lip}


for fmt in ["channels_last", "channels_first"]:
    shape = (28, 28, 1) if fmt == "channels_last" else (1, 28, 28)
    m = keras.Sequential([keras.Input(shape), keras.layers.Conv2D(3, 3, strides=2, padding="same", data_format=fmt),
                          MaxMin(data_format=fmt), keras.layers.Flatten(data_format=fmt),
                          keras.layers.Dense(5), MaxMin(), keras.layers.Dense(4)], name="maxmin_" + fmt)
    m.save(f"{out}/maxmin_{fmt}.keras")
    p = pattern if fmt == "channels_last" else pattern.transpose(0, 3, 1, 2)
    refs[f"maxmin_{fmt}"] = m(p).numpy()[0].tolist()

for fmt in ["channels_last", "channels_first"]:
    shape = (28, 28, 1) if fmt == "channels_last" else (1, 28, 28)
    inp = keras.Input(shape, name="image")
    x = keras.layers.Conv2D(5, 3, padding="same", data_format=fmt, name="conv")(inp)
    a = ScaledGlobalAveragePooling2D(k_coef_lip=1.5, data_format=fmt, name="gap")(x)
    m = keras.Model(inp, keras.layers.Dense(3, name="head")(a), name="global_average_" + fmt)
    m.save(f"{out}/global_average_{fmt}.keras")
    p = pattern if fmt == "channels_last" else pattern.transpose(0, 3, 1, 2)
    refs[f"global_average_{fmt}"] = m(p).numpy()[0].tolist()
    seq = keras.Sequential([keras.Input(shape), keras.layers.Conv2D(4, 3, strides=2, data_format=fmt),
                            ScaledGlobalL2NormPooling2D(data_format=fmt), keras.layers.Dense(2)],
                           name="global_l2_" + fmt)
    seq.save(f"{out}/global_l2_{fmt}.keras")
    refs[f"global_l2_{fmt}"] = seq(p).numpy()[0].tolist()

@keras.saving.register_keras_serializable("deel-lip", "FrobeniusConv2D")
class FrobeniusConv2D(keras.layers.Conv2D):
    """deel-lip's inference form: wbar = kernel / ||kernel||_F * coefficient * k_coef_lip, saved beside the
    kernel and bias as vars/wbar the way deel-lip's layers write it (see the deel_lip_keras3 fixtures)."""

    def __init__(self, filters, kernel_size, k_coef_lip=1.0, wbar_scale=1.0, **kwargs):
        super().__init__(filters, kernel_size, padding="same", **kwargs)
        self.k_coef_lip = k_coef_lip
        self.wbar_scale = wbar_scale

    def build(self, input_shape):
        super().build(input_shape)
        h, w = input_shape[1], input_shape[2]
        kh, kw = self.kernel_size
        a, b = (kh - 1) / 2, (kw - 1) / 2
        coef = np.sqrt(h * w / ((kh * h - a * (a + 1)) * (kw * w - b * (b + 1))))
        k = np.asarray(self.kernel)
        self.wbar = keras.Variable((k / np.linalg.norm(k) * coef * self.k_coef_lip * self.wbar_scale).astype("float32"),
                                   trainable=False, name="wbar")

    def call(self, x):
        return keras.ops.conv(x, self.wbar, padding="same") + self.bias

    def save_own_variables(self, store):
        store["0"], store["1"], store["wbar"] = self.kernel, self.bias, self.wbar

    def load_own_variables(self, store):
        self.kernel.assign(store["0"])
        self.bias.assign(store["1"])
        self.wbar.assign(store["wbar"])

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip}


for name, scale in [("frobenius_conv", 1.0), ("frobenius_conv_inflated", 1.5)]:
    m = keras.Sequential([keras.Input((28, 28, 1)), FrobeniusConv2D(4, 3, k_coef_lip=2.0, wbar_scale=scale),
                          keras.layers.Flatten(), keras.layers.Dense(3)], name=name)
    m.save(f"{out}/{name}.keras")
    refs[name] = m(pattern).numpy()[0].tolist()

dilated = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(2, 3, dilation_rate=2),
                            keras.layers.Flatten(), keras.layers.Dense(2)], name="dilated")
dilated.save(f"{out}/dilated_conv.keras")

# The functional chain as a SavedModel the way Keras 3 exports one (model.export): TF 2.21 graphs, with the
# DisableCopyOnRead ops of its saver and Keras 3's shape plumbing (a bias through Reshape/Squeeze, Flatten's
# Reshape(x, Pack(StridedSlice(Shape(x)), n))). It serves the softmax; jlip certifies the logits before it.
keras.models.load_model(f"{out}/functional_chain.keras").export(f"{out}/functional_chain_export", verbose=False)

# Keras 3 writes an inference batch normalisation as element-wise ops (rsqrt(var + eps) * gamma, ...), not as
# FusedBatchNorm; one epoch on random data moves its statistics off their initial values.
bn = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3), keras.layers.BatchNormalization(),
                       keras.layers.ReLU(), keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                       keras.layers.Dense(3)], name="batchnorm")
bn.compile("adam", "mse")
bn.fit(np.random.rand(64, 28, 28, 1), np.random.rand(64, 3), epochs=1, verbose=0)
bn.export(f"{out}/batchnorm_export", verbose=False)
refs["batchnorm_export"] = bn(pattern, training=False).numpy()[0].tolist()
layer = bn.layers[1]
refs["batchnorm_export_scale_max"] = float(np.max(np.abs(
    np.asarray(layer.gamma) / np.sqrt(np.asarray(layer.moving_variance) + layer.epsilon))))

# GlobalAveragePooling2D exports as Mean over axes [1, 2].
gap = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                        keras.layers.AveragePooling2D(2), keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)],
                       name="global_average_export")
gap.export(f"{out}/global_average_export", verbose=False)
refs["global_average_export"] = gap(pattern).numpy()[0].tolist()

# Plain Keras layers jlip certifies but cannot train or convert (appended last, so the random stream of the
# fixtures above is unchanged). Batch normalisations get random statistics and gammas (one negative per layer)
# with set_weights. The channels_first twin copies the channels_last weights (kernels are [kh, kw, cin, cout] in
# both layouts and Keras 3's Flatten(channels_first) flattens in (H, W, C) order): Keras runs it on the CPU on the
# NCHW pattern, so both files hold the same function and their reference logits agree.
def random_batch_norm(layer, rng):
    n = layer.moving_mean.shape[0]
    gamma = rng.normal(1.0, 0.8, n)
    gamma[0] = -abs(gamma[0]) - 0.5
    values = {"gamma": gamma, "beta": rng.normal(0, 0.5, n), "moving_mean": rng.normal(0, 0.5, n),
              "moving_variance": rng.uniform(0.05, 2.0, n)}
    layer.set_weights([values[v.path.split("/")[-1]].astype("float32") for v in layer.weights])
    g = values["gamma"] if layer.scale else np.ones(n)
    return float(np.max(np.abs(g / np.sqrt(values["moving_variance"] + layer.epsilon))))


def plain_cnn(fmt):
    shape = (28, 28, 1) if fmt == "channels_last" else (1, 28, 28)
    axis = -1 if fmt == "channels_last" else 1
    inp = keras.Input(shape, name="image")
    x = keras.layers.Conv2D(4, 3, data_format=fmt, name="conv")(inp)
    x = keras.layers.BatchNormalization(axis=axis, name="bn")(x)
    x = keras.layers.LeakyReLU(negative_slope=0.1, name="leaky")(x)
    x = keras.layers.MaxPooling2D(2, data_format=fmt, name="max_pool")(x)
    x = keras.layers.Conv2D(6, 3, padding="same", data_format=fmt, name="conv_b")(x)
    x = keras.layers.BatchNormalization(axis=axis, center=False, name="bn_b")(x)
    x = keras.layers.ReLU(name="relu")(x)
    x = keras.layers.AveragePooling2D(3, strides=2, padding="same", data_format=fmt, name="avg_pool")(x)
    x = keras.layers.Flatten(data_format=fmt, name="flat")(x)
    x = keras.layers.Dense(16, name="hidden")(x)
    x = keras.layers.BatchNormalization(name="bn_c")(x)
    logits = keras.layers.Dense(10, name="logits")(x)
    probs = keras.layers.Activation("softmax", name="probs")(logits)
    return keras.Model(inp, probs, name="plain_cnn_bn_" + fmt), keras.Model(inp, logits)


rng = np.random.default_rng(5)
last, last_logits = plain_cnn("channels_last")
refs["plain_cnn_bn_scale_max"] = {name: random_batch_norm(last.get_layer(name), rng) for name in ["bn", "bn_b", "bn_c"]}
first, first_logits = plain_cnn("channels_first")
first.set_weights(last.get_weights())
for fmt, m, pre in [("channels_last", last, last_logits), ("channels_first", first, first_logits)]:
    m.save(f"{out}/plain_cnn_bn_{fmt}.keras")
    p = pattern if fmt == "channels_last" else pattern.transpose(0, 3, 1, 2)
    refs[f"plain_cnn_bn_{fmt}"] = pre(p, training=False).numpy()[0].tolist()

# A vector model: BatchNormalization(scale=False) with axis 1 (the channel axis of a [batch, n] input), a ReLU
# layer with a negative slope, a Dense with the leaky_relu activation, softmax in the last Dense.
mlp = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(name="flat"),
                        keras.layers.Dense(12, activation="leaky_relu", name="hidden"),
                        keras.layers.BatchNormalization(axis=1, scale=False, name="bn"),
                        keras.layers.ReLU(negative_slope=0.25, name="leaky"),
                        keras.layers.Dense(3, activation="softmax", name="logits")], name="plain_mlp_bn")
refs["plain_mlp_bn_scale_max"] = {"bn": random_batch_norm(mlp.get_layer("bn"), rng)}
mlp.save(f"{out}/plain_mlp_bn.keras")
pre = keras.Model(mlp.inputs, mlp.layers[-2].output)(pattern).numpy()
w, b = mlp.layers[-1].get_weights()
refs["plain_mlp_bn"] = (pre @ w + b)[0].tolist()

# A vector input reshaped into an image (one -1 in target_shape) for a conv, then flattened.
vec = keras.Sequential([keras.Input((784,)), keras.layers.Reshape((28, -1, 1), name="to_image"),
                        keras.layers.Conv2D(3, 3, strides=2, name="conv"), keras.layers.Flatten(name="flat"),
                        keras.layers.Dense(4, name="logits")], name="reshape_vector")
vec.save(f"{out}/reshape_vector.keras")
refs["reshape_vector"] = vec(pattern.reshape(1, 784)).numpy()[0].tolist()

# Element-wise activations (tanh, elu, selu, relu6, ReLU(max_value) 6 and 4, ELU(alpha=0.5), softplus, a sigmoid in
# the middle and a final one on one logit), as a .keras file and as model.export(), which writes Tanh, Elu, Selu,
# Relu6, Softplus, Sigmoid, Relu + Minimum + Maximum for ReLU(max_value=4) and SelectV2(Greater(x, 0), Elu(x),
# alpha * Elu(x)) for ELU(alpha=0.5). Kernels are scaled so pre-activations reach every regime (below 0 for elu,
# selu and ELU; above 6 and 4 for the clips). Reference: the logit before the final sigmoid.
acts = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(name="flat"),
                         keras.layers.Dense(6, activation="tanh", name="tanh"),
                         keras.layers.Dense(6, activation="elu", name="elu"),
                         keras.layers.Activation("selu", name="selu"),
                         keras.layers.Dense(6, activation="relu6", name="relu6"),
                         keras.layers.Dense(6, name="dense_a"), keras.layers.ReLU(max_value=6.0, name="relu_max6"),
                         keras.layers.Dense(6, name="dense_b"), keras.layers.ELU(alpha=0.5, name="elu_half"),
                         keras.layers.Dense(6, name="dense_c"), keras.layers.ReLU(max_value=4.0, name="relu_max4"),
                         keras.layers.Dense(6, activation="softplus", name="softplus"),
                         keras.layers.Dense(6, activation="sigmoid", name="sigmoid"),
                         keras.layers.Dense(1, activation="sigmoid", name="out")], name="activations_mlp")
for name, scale in [("relu6", 8.0), ("dense_a", 1.5), ("out", 4.0)]:
    kernel, bias = acts.get_layer(name).get_weights()
    acts.get_layer(name).set_weights([kernel * scale, bias])
# The final bias centres the logit on random images, so both classes occur (for attacks in the tests).
pre_out = keras.Model(acts.inputs, acts.get_layer("sigmoid").output)
kernel, _ = acts.get_layer("out").get_weights()
centre = np.median(pre_out(np.random.default_rng(11).random((256, 28, 28, 1)).astype("float32")).numpy() @ kernel)
acts.get_layer("out").set_weights([kernel, np.array([-centre], dtype="float32")])
acts.save(f"{out}/activations_mlp.keras")
acts.export(f"{out}/activations_export", verbose=False)
w, b = acts.get_layer("out").get_weights()
refs["activations_mlp"] = (pre_out(pattern).numpy() @ w + b)[0].tolist()

# GlobalMaxPooling2D as a .keras file and as an export, where it is a Max over axes [1, 2].
gmax = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, strides=2, activation="relu", name="conv"),
                         keras.layers.GlobalMaxPooling2D(name="gmax"), keras.layers.Dense(3, name="logits")],
                        name="global_max")
gmax.save(f"{out}/global_max.keras")
gmax.export(f"{out}/global_max_export", verbose=False)
refs["global_max"] = gmax(pattern).numpy()[0].tolist()

# A channels_first conv net with Keras's default Flatten (data_format channels_last): on an NCHW tensor it
# flattens in (C, H, W) order, unlike Flatten(channels_first), so jlip (NHWC inside) must reorder the next Dense
# kernel's rows. Dropout and an element-wise activation between them keep the order; a BatchNormalization there
# (per-feature parameters in (C, H, W) order) is refused.
cf_pattern = pattern.reshape(1, 1, 28, 28)
cf_flat = keras.Sequential([keras.Input((1, 28, 28)),
                            keras.layers.Conv2D(4, 3, strides=2, data_format="channels_first", activation="relu",
                                                name="conv"),
                            keras.layers.Flatten(name="flat"), keras.layers.Dropout(0.5, name="drop"),
                            keras.layers.Activation("relu", name="act"), keras.layers.Dense(10, name="logits")],
                           name="flatten_default_channels_first")
cf_flat.save(f"{out}/flatten_default_channels_first.keras")
refs["flatten_default_channels_first"] = cf_flat(cf_pattern).numpy()[0].tolist()
cf_bn = keras.Sequential([keras.Input((1, 28, 28)),
                          keras.layers.Conv2D(2, 3, strides=2, data_format="channels_first", name="conv"),
                          keras.layers.Flatten(name="flat"), keras.layers.BatchNormalization(name="bn"),
                          keras.layers.Dense(3, name="logits")], name="flatten_default_channels_first_bn")
cf_bn.save(f"{out}/flatten_default_channels_first_bn.keras")

# Parametric activations: Keras's PReLU (what deel-lip's PReLUlip returns, with a MinMaxNorm constraint on alpha)
# and deel-lip's Householder, re-implemented from its definition: the channel axis (Keras's last axis) is split in
# halves z1, z2; where z1 sin(theta/2) - z2 cos(theta/2) > 0 the pair is reflected across the line at angle
# theta/2, else kept (theta = pi/2 is GroupSort2 on the halves). deel-lip does not apply k_coef_lip in its call.
# Thetas and alphas are random so every branch is taken; some |alpha| exceed 1.
@keras.saving.register_keras_serializable("deel-lip", "Householder")
class Householder(keras.layers.Layer):
    def __init__(self, data_format="channels_last", k_coef_lip=1.0, theta_initializer=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format
        self.k_coef_lip = k_coef_lip
        self.theta_initializer = theta_initializer

    def build(self, input_shape):
        self.theta = self.add_weight(name="theta", shape=(input_shape[-1] // 2,), initializer="zeros")

    def call(self, x):
        z1, z2 = keras.ops.split(x, 2, axis=-1)
        half = 0.5 * self.theta
        selector = z1 * keras.ops.sin(half) - z2 * keras.ops.cos(half)
        c, s = keras.ops.cos(self.theta), keras.ops.sin(self.theta)
        a = keras.ops.where(selector <= 0, z1, z1 * c + z2 * s)
        b = keras.ops.where(selector <= 0, z2, z1 * s - z2 * c)
        return keras.ops.concatenate([a, b], axis=-1)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "k_coef_lip": self.k_coef_lip,
                "theta_initializer": self.theta_initializer}


rng = np.random.default_rng(17)


def randomize(model, cls, low, high):
    for layer in model.layers:
        if isinstance(layer, cls):
            layer.set_weights([rng.uniform(low, high, w.shape).astype("float32") for w in layer.get_weights()])


hh_last = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, strides=2, padding="same", name="conv"),
                            Householder(name="hh"), keras.layers.Flatten(name="flat"), keras.layers.Dense(6, name="hidden"),
                            Householder(name="hh_b"), keras.layers.Dense(3, name="logits")], name="householder_channels_last")
# channels_first: Keras's last axis is the image width, so the halves are the left and right of the image.
hh_first = keras.Sequential([keras.Input((1, 28, 28)),
                             keras.layers.Conv2D(2, 3, strides=2, padding="same", data_format="channels_first",
                                                 name="conv"),
                             Householder(name="hh"), keras.layers.Flatten(data_format="channels_first", name="flat"),
                             keras.layers.Dense(4, name="logits")], name="householder_channels_first")
for m in [hh_last, hh_first]:
    randomize(m, Householder, 0, 2 * np.pi)
prelu = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(3, 3, padding="same", name="conv"),
                          keras.layers.PReLU(shared_axes=[1, 2], name="prelu_shared"), keras.layers.Flatten(name="flat"),
                          keras.layers.Dense(5, name="hidden"), keras.layers.PReLU(name="prelu"),
                          keras.layers.Dense(3, name="logits")], name="prelu_channels_last")
# channels_first with one alpha per value: alpha [C, H, W] in Keras's layout.
prelu_first = keras.Sequential([keras.Input((1, 28, 28)),
                                keras.layers.Conv2D(2, 3, strides=2, padding="same", data_format="channels_first",
                                                    name="conv"),
                                keras.layers.PReLU(name="prelu"), keras.layers.Flatten(data_format="channels_first",
                                                                                       name="flat"),
                                keras.layers.Dense(4, name="logits")], name="prelu_channels_first")
for m in [prelu, prelu_first]:
    randomize(m, keras.layers.PReLU, -1.5, 1.5)
for m, p in [(hh_last, pattern), (hh_first, cf_pattern), (prelu, pattern), (prelu_first, cf_pattern)]:
    m.save(f"{out}/{m.name}.keras")
    refs[m.name] = m(p).numpy()[0].tolist()
    alphas = {layer.name: float(np.max(np.abs(layer.get_weights()[0]))) for layer in m.layers
              if isinstance(layer, keras.layers.PReLU)}
    if alphas:
        refs[m.name + "_alpha_max"] = alphas

# DepthwiseConv2D (depth multiplier 2, strided, same padding) and SeparableConv2D (valid padding), which jlip
# rebuilds as ordinary convolutions; the channels_first twin copies the weights (same kernel layout in both).
def depthwise_cnn(fmt):
    shape = (28, 28, 1) if fmt == "channels_last" else (1, 28, 28)
    return keras.Sequential([keras.Input(shape), keras.layers.Conv2D(3, 3, padding="same", data_format=fmt, name="conv"),
                             keras.layers.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2,
                                                          activation="relu", data_format=fmt, name="depthwise"),
                             keras.layers.SeparableConv2D(5, 3, depth_multiplier=2, data_format=fmt, name="separable"),
                             keras.layers.Flatten(data_format=fmt, name="flat"), keras.layers.Dense(4, name="logits")],
                            name="depthwise_" + fmt)


dw_last = depthwise_cnn("channels_last")
dw_first = depthwise_cnn("channels_first")
dw_first.set_weights(dw_last.get_weights())
for m, p in [(dw_last, pattern), (dw_first, cf_pattern)]:
    m.save(f"{out}/{m.name}.keras")
    refs[m.name] = m(p).numpy()[0].tolist()
dw_last.export(f"{out}/depthwise_export", verbose=False)

# deel-lip's activations and L2 poolings re-implemented from its definitions (channels_last), exported with
# model.export(): the SavedModel then holds the op patterns a served deel-lip model has (GroupSort2 as reshape,
# split, minimum, maximum, concat; GroupSort(4) as tf.sort, i.e. Neg, TopKV2, Neg; MaxMin as relu(x), relu(-x),
# concat; L2 poolings as square, avg_pool or sum, + 1e-6, sqrt, times the coefficient). The .keras file of the
# same model is read by jlip's .keras importer, a second path to the same logits.
def pairs_sorted(x, n):
    s = x.shape
    g = keras.ops.reshape(x, (-1,) + tuple(s[1:-1]) + (s[-1] // n, n))
    if n == 2:
        a, b = keras.ops.split(g, 2, axis=-1)
        g = keras.ops.concatenate([keras.ops.minimum(a, b), keras.ops.maximum(a, b)], axis=-1)
    else:
        g = keras.ops.sort(g, axis=-1)
    return keras.ops.reshape(g, (-1,) + tuple(s[1:]))


@keras.saving.register_keras_serializable("deel-lip", "GroupSort")
class GroupSort(keras.layers.Layer):
    def __init__(self, n=None, data_format="channels_last", k_coef_lip=1.0, **kwargs):
        super().__init__(**kwargs)
        self.n, self.data_format, self.k_coef_lip = n, data_format, k_coef_lip

    def call(self, x):
        return pairs_sorted(x, self.n or x.shape[-1]) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "n": self.n, "data_format": self.data_format, "k_coef_lip": self.k_coef_lip}


@keras.saving.register_keras_serializable("deel-lip", "ScaledL2NormPooling2D")
class ScaledL2NormPooling2D(keras.layers.Layer):
    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format="channels_last", k_coef_lip=1.0,
                 eps_grad_sqrt=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.pool_size, self.k_coef_lip = tuple(pool_size), k_coef_lip

    def call(self, x):
        mean = keras.ops.average_pool(keras.ops.square(x), self.pool_size, self.pool_size, "valid")
        return keras.ops.sqrt(mean + 1e-6) * float(np.sqrt(np.prod(self.pool_size))) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "pool_size": list(self.pool_size), "strides": list(self.pool_size),
                "padding": "valid", "data_format": "channels_last", "k_coef_lip": self.k_coef_lip}


class ScaledGlobalL2NormPooling2DSum(keras.layers.Layer):
    def __init__(self, data_format="channels_last", k_coef_lip=1.0, eps_grad_sqrt=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.k_coef_lip = k_coef_lip

    def call(self, x):
        return keras.ops.sqrt(keras.ops.sum(keras.ops.square(x), axis=[1, 2])) * self.k_coef_lip

    def get_config(self):
        return {**super().get_config(), "data_format": "channels_last", "k_coef_lip": self.k_coef_lip}


# Saved under deel-lip's class name, which replaces the registration of the earlier re-implementation.
ScaledGlobalL2NormPooling2DSum.__name__ = ScaledGlobalL2NormPooling2DSum.__qualname__ = "ScaledGlobalL2NormPooling2D"
keras.saving.register_keras_serializable("deel-lip", "ScaledGlobalL2NormPooling2D")(ScaledGlobalL2NormPooling2DSum)
served = keras.Sequential([keras.Input((28, 28, 1)),
                           keras.layers.Conv2D(8, 3, padding="same", name="conv"), GroupSort(n=2, name="gs2"),
                           ScaledL2NormPooling2D(name="l2_pool"),
                           keras.layers.Conv2D(6, 3, padding="same", name="conv_b"), MaxMin(name="maxmin"),
                           GroupSort(n=4, name="gs4"), ScaledGlobalL2NormPooling2DSum(name="global_l2"),
                           keras.layers.Dense(8, name="hidden"), GroupSort(name="full_sort"),
                           keras.layers.Dense(10, name="logits")], name="deel_lip_served")
served.save(f"{out}/deel_lip_served.keras")
served.export(f"{out}/deel_lip_served_export", verbose=False)
refs["deel_lip_served"] = served(pattern).numpy()[0].tolist()

# The same patterns as deel-lip's TensorFlow versions write them, in a tf.Module saved with tf.saved_model.save:
# GroupSort2 in a nested tf.function (a PartitionedCall), the L2 pooling's square root under tf.custom_gradient (its
# result passes through an IdentityN together with the pooled squares), tf.sort for FullSort.
import tensorflow as tf

tf_rng = np.random.default_rng(23)


@tf.function
def tf_group_sort2(x):
    s = x.shape
    fv = tf.reshape(x, (-1,) + tuple(s[1:-1]) + (s[-1] // 2, 2))
    b, c = tf.split(fv, 2, -1)
    return tf.reshape(tf.concat([tf.minimum(b, c), tf.maximum(b, c)], -1), (-1,) + tuple(s[1:]))


def tf_sqrt(eps):
    @tf.custom_gradient
    def f(x):
        y = tf.sqrt(x)
        return y, lambda dy: dy / (2 * (y + eps))
    return f


class TfDeelLip(tf.Module):
    def __init__(self):
        self.k = tf.Variable(tf_rng.normal(0, .3, (3, 3, 1, 8)).astype("float32"))
        self.b = tf.Variable(tf_rng.normal(0, .1, 8).astype("float32"))
        self.w = tf.Variable(tf_rng.normal(0, .05, (14 * 14 * 8, 6)).astype("float32"))
        self.w2 = tf.Variable(tf_rng.normal(0, .3, (6, 10)).astype("float32"))

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32)])
    def __call__(self, x):
        h = tf_group_sort2(tf.nn.bias_add(tf.nn.conv2d(x, self.k, 1, "SAME"), self.b))
        h = tf_sqrt(1e-6)(tf.nn.avg_pool2d(tf.square(h), 2, 2, "VALID")) * 2.0
        h = tf.sort(tf.reshape(h, (-1, 14 * 14 * 8)) @ self.w, axis=-1)
        return {"logits": h @ self.w2}


tf_module = TfDeelLip()
tf.saved_model.save(tf_module, f"{out}/tf_module_deel_lip", signatures={"serving_default": tf_module.__call__})
refs["tf_module_deel_lip"] = tf_module(pattern)["logits"].numpy()[0].tolist()

# The PReLU model as Keras exports it: Relu(x) + Mul(-alpha, Relu(Neg(x))) per layer.
keras.models.load_model(f"{out}/prelu_channels_last.keras").export(f"{out}/prelu_export", verbose=False)

# deel-lip 1.x's GroupSort as its SavedModels hold it: the values of the whole batch in rows of n (Reshape to
# [-1, n]), each row sorted (split, minimum, maximum, concat for n = 2; tf.sort otherwise), reshaped back to
# tf.shape(x), times the coefficient for n > 2. Rows stay inside one sample only when n divides the last axis:
# tf_module_group_rows_straddle sorts rows of 4 of 6 values, which mixes samples, and must be refused.
v1_rng = np.random.default_rng(31)


def v1_group_sort(x, n, coef=1.0):
    rows = tf.reshape(x, [-1, n])
    if n == 2:
        lo, hi = tf.split(rows, 2, 1)
        return tf.reshape(tf.concat([tf.minimum(lo, hi), tf.maximum(lo, hi)], axis=1), tf.shape(x))
    return tf.reshape(tf.sort(rows), tf.shape(x)) * coef


class TfGroupRows(tf.Module):
    def __init__(self):
        self.k = tf.Variable(v1_rng.normal(0, .3, (3, 3, 1, 8)).astype("float32"))
        self.w = tf.Variable(v1_rng.normal(0, .05, (14 * 14 * 8, 12)).astype("float32"))
        self.w2 = tf.Variable(v1_rng.normal(0, .3, (12, 12)).astype("float32"))
        self.w3 = tf.Variable(v1_rng.normal(0, .3, (12, 10)).astype("float32"))

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32)])
    def __call__(self, x):
        h = v1_group_sort(tf.nn.conv2d(x, self.k, 1, "SAME"), 2)
        h = tf.nn.avg_pool2d(h, 2, 2, "VALID") * 2.0
        h = v1_group_sort(tf.reshape(h, (-1, 14 * 14 * 8)) @ self.w, 4, 0.5)
        h = v1_group_sort(h @ self.w2, 12)
        return {"logits": h @ self.w3}


class TfGroupRowsStraddle(tf.Module):
    def __init__(self):
        self.w = tf.Variable(v1_rng.normal(0, .05, (784, 6)).astype("float32"))
        self.w2 = tf.Variable(v1_rng.normal(0, .3, (6, 10)).astype("float32"))

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28, 1], tf.float32)])
    def __call__(self, x):
        return {"logits": v1_group_sort(tf.reshape(x, (-1, 784)) @ self.w, 4) @ self.w2}


group_rows = TfGroupRows()
tf.saved_model.save(group_rows, f"{out}/tf_module_group_rows", signatures={"serving_default": group_rows.__call__})
refs["tf_module_group_rows"] = group_rows(pattern)["logits"].numpy()[0].tolist()
# a batch, whose rows of n values TensorFlow sorts across the batch's samples in one tensor
group_batch = np.stack([pattern[0], 1 - pattern[0], (np.arange(784) * 3 % 11 / 11).reshape(28, 28, 1)]).astype("float32")
refs["tf_module_group_rows_batch"] = group_rows(group_batch)["logits"].numpy().tolist()
straddle = TfGroupRowsStraddle()
tf.saved_model.save(straddle, f"{out}/tf_module_group_rows_straddle",
                    signatures={"serving_default": straddle.__call__})

# deel-lip's Householder as Keras exports it: split, the selector and the reflection with sin/cos of theta, selects,
# concat (the channels_last model; its .keras file is the second path to the same logits).
keras.models.load_model(f"{out}/householder_channels_last.keras").export(f"{out}/householder_export", verbose=False)

# A channels_first Keras model exported: Keras writes NCHW Conv2D and BiasAdd, and Transposes around its pooling,
# depthwise convolution and Flatten. Three channels and H != W, so that any confusion of axes shows in the logits;
# the reference input is the pattern over (C, H, W) in that order, x[c, h, w] = (i % 7) / 7, i row-major.
cf_rng = np.random.default_rng(41)
cf_export = keras.Sequential([keras.Input((3, 12, 10)),
                              keras.layers.Conv2D(4, 3, padding="same", data_format="channels_first", name="conv"),
                              keras.layers.ReLU(name="relu"),
                              keras.layers.AveragePooling2D(2, data_format="channels_first", name="pool"),
                              keras.layers.DepthwiseConv2D(3, padding="same", data_format="channels_first",
                                                           name="depthwise"),
                              keras.layers.Flatten(data_format="channels_first", name="flat"),
                              keras.layers.Dense(5, name="logits")], name="channels_first_export")
for layer in cf_export.layers:
    layer.set_weights([cf_rng.normal(0, .4, w.shape).astype("float32") for w in layer.get_weights()])
cf_export.save(f"{out}/channels_first_export.keras")
cf_export.export(f"{out}/channels_first_export", verbose=False)
cf_pattern = (np.arange(3 * 12 * 10) % 7 / 7).astype("float32").reshape(1, 3, 12, 10)
refs["channels_first_export"] = cf_export(cf_pattern).numpy()[0].tolist()

# channels_first written with TensorFlow ops: an NCHW convolution, then a bias and a scale broadcast from [C, 1, 1],
# a ReLU, flatten and a dense layer (input and reference pattern as channels_first_export's).
class TfNchw(tf.Module):
    def __init__(self):
        self.k = tf.Variable(cf_rng.normal(0, .4, (3, 3, 3, 4)).astype("float32"))
        self.b = tf.Variable(cf_rng.normal(0, .2, (4, 1, 1)).astype("float32"))
        self.s = tf.Variable(cf_rng.uniform(-2, 2, (1, 4, 1, 1)).astype("float32"))
        self.w = tf.Variable(cf_rng.normal(0, .1, (4 * 12 * 10, 5)).astype("float32"))

    @tf.function(input_signature=[tf.TensorSpec([None, 3, 12, 10], tf.float32)])
    def __call__(self, x):
        h = tf.nn.relu((tf.nn.conv2d(x, self.k, 1, "SAME", data_format="NCHW") + self.b) * self.s)
        return {"logits": tf.reshape(h, (-1, 4 * 12 * 10)) @ self.w}


nchw = TfNchw()
tf.saved_model.save(nchw, f"{out}/tf_module_nchw", signatures={"serving_default": nchw.__call__})
refs["tf_module_nchw"] = nchw(cf_pattern)["logits"].numpy()[0].tolist()

# Layers that move or rescale values, and the layers that are the identity at inference: Normalization adapted on
# data (variables mean, variance, count) and given in the config with invert=True, asymmetric ZeroPadding2D and
# Cropping2D, Permute (H and W swapped; H != W throughout so a missed swap shows), the dropout and noise layers,
# ActivityRegularization (whose penalty the export computes and drops), Identity and a final Softmax layer. As a
# .keras file and as model.export(), which writes Sub/RealDiv by Maximum(Sqrt(variance), epsilon), Pad and
# StridedSlice. Input 12 x 10 x 3; reference: the logits before the softmax on the pattern.
il_rng = np.random.default_rng(43)
adapted = keras.layers.Normalization(axis=-1, name="norm")
adapted.adapt(il_rng.uniform(0, 1, (64, 12, 10, 3)).astype("float32") * np.array([1, .2, 3], "float32"))
inference = keras.Sequential([
    keras.Input((12, 10, 3)), adapted,
    keras.layers.ZeroPadding2D(((1, 2), (0, 3)), name="pad"),
    keras.layers.GaussianNoise(0.3, name="noise"),
    keras.layers.Conv2D(4, 3, activation="relu", name="conv"),
    keras.layers.SpatialDropout2D(0.3, name="spatial_dropout"),
    keras.layers.Cropping2D(((2, 1), (1, 1)), name="crop"),
    keras.layers.Permute((2, 1, 3), name="permute"),
    keras.layers.GaussianDropout(0.2, name="gaussian_dropout"),
    keras.layers.AlphaDropout(0.2, name="alpha_dropout"),
    keras.layers.ActivityRegularization(l2=1e-3, name="activity"),
    keras.layers.Identity(name="identity"),
    keras.layers.Flatten(name="flat"),
    keras.layers.Dense(6, name="hidden"),
    keras.layers.Normalization(mean=[.1, -.2, .3, 0, .5, -1], variance=[.5, 2, 1, .25, 3, 1], invert=True,
                               name="denorm"),
    keras.layers.Dense(5, name="logits"),
    keras.layers.Softmax(name="probs")], name="inference_layers")
for name in ("conv", "hidden", "logits"):
    layer = inference.get_layer(name)
    layer.set_weights([il_rng.normal(0, .4, w.shape).astype("float32") for w in layer.get_weights()])
inference.save(f"{out}/inference_layers.keras")
inference.export(f"{out}/inference_layers_export", verbose=False)
il_pattern = (np.arange(12 * 10 * 3) % 7 / 7).astype("float32").reshape(1, 12, 10, 3)
refs["inference_layers"] = keras.Model(inference.inputs, inference.get_layer("logits").output)(
    il_pattern).numpy()[0].tolist()

# The same kinds of layers in channels_first: Normalization over axis 1, padding and cropping of (H, W), a Permute
# that swaps H and W in Keras's (C, H, W). Input and reference pattern as channels_first_export's (3, 12, 10).
cf_inference = keras.Sequential([
    keras.Input((3, 12, 10)),
    keras.layers.Normalization(axis=1, mean=[.2, .5, .4], variance=[.1, .3, 2.], name="norm"),
    keras.layers.ZeroPadding2D(((1, 2), (0, 3)), data_format="channels_first", name="pad"),
    keras.layers.Conv2D(4, 3, activation="relu", data_format="channels_first", name="conv"),
    keras.layers.Cropping2D(((2, 1), (1, 1)), data_format="channels_first", name="crop"),
    keras.layers.Permute((1, 3, 2), name="permute"),
    keras.layers.Flatten(data_format="channels_first", name="flat"),
    keras.layers.Dense(5, name="logits")], name="inference_layers_channels_first")
for name in ("conv", "logits"):
    layer = cf_inference.get_layer(name)
    layer.set_weights([il_rng.normal(0, .4, w.shape).astype("float32") for w in layer.get_weights()])
cf_inference.save(f"{out}/inference_layers_channels_first.keras")
cf_inference.export(f"{out}/inference_layers_channels_first_export", verbose=False)
refs["inference_layers_channels_first"] = cf_inference(cf_pattern).numpy()[0].tolist()

# Smooth and hard gated activations on a vector: gelu, silu, mish, softsign, hard_sigmoid, hard_silu, as layer
# activations and Activation layers. model.export() writes gelu as 0.5 x erfc(-x / sqrt 2), silu as x sigmoid(x)
# under a custom gradient, mish as x tanh(softplus(x)), hard_silu as x relu6(x + 3) / 6, softsign as Softsign.
# Weights N(0, 1) on 20 inputs put pre-activations in every regime (beyond +-3 for the hard ones).
gates = keras.Sequential([
    keras.Input((20,)),
    keras.layers.Dense(16, activation="gelu", name="gelu"),
    keras.layers.Activation("silu", name="silu"),
    keras.layers.Dense(16, name="d2"),
    keras.layers.Activation("mish", name="mish"),
    keras.layers.Dense(12, activation="softsign", name="softsign"),
    keras.layers.Dense(12, activation="hard_sigmoid", name="hard_sigmoid"),
    keras.layers.Dense(12, activation="hard_silu", name="hard_silu"),
    keras.layers.Dense(4, name="logits")], name="gated_activations")
for layer in gates.layers:
    layer.set_weights([il_rng.normal(0, 1, w.shape).astype("float32") for w in layer.get_weights()])
gates.save(f"{out}/gated_activations.keras")
gates.export(f"{out}/gated_activations_export", verbose=False)
refs["gated_activations"] = gates(pattern.reshape(-1)[:20].reshape(1, 20)).numpy()[0].tolist()

# Nested models: a Functional model that calls a Sequential backbone (conv, pooling, flatten), a Dense, then a
# nested Functional head; the file's weight groups nest ("layers/sequential/layers/conv2d/vars/0"), and the
# classes repeat at both levels (Dense in the outer model and in the head) so the per-level numbering shows.
backbone = keras.Sequential([keras.Input((12, 10, 3)), keras.layers.Conv2D(4, 3, activation="relu", name="conv"),
                             keras.layers.MaxPooling2D(2, name="pool"), keras.layers.Flatten(name="flat")],
                            name="backbone")
head_in = keras.Input((16,))
head_out = keras.layers.Dense(5, name="head_logits")(keras.layers.Dense(8, activation="relu", name="head_hidden")(
    head_in))
head = keras.Model(head_in, head_out, name="head")
nested_in = keras.Input((12, 10, 3), name="image")
nested = keras.Model(nested_in, head(keras.layers.Dense(16, activation="relu", name="middle")(backbone(nested_in))),
                     name="nested_models")
for layer in ("conv", "head_hidden", "head_logits"):
    owner = backbone if layer == "conv" else head
    owner.get_layer(layer).set_weights([il_rng.normal(0, .4, w.shape).astype("float32")
                                        for w in owner.get_layer(layer).get_weights()])
nested.get_layer("middle").set_weights([il_rng.normal(0, .2, w.shape).astype("float32")
                                        for w in nested.get_layer("middle").get_weights()])
nested.save(f"{out}/nested_models.keras")
refs["nested_models"] = nested(il_pattern).numpy()[0].tolist()

# Merges: a residual block (Add of the block's input and two convolutions), a projection shortcut Averaged with a
# conv + BatchNormalization branch, a Concatenate of a 1x1 conv and an overlapping max pool, global average
# pooling, then Subtract of a vector and a Dense of it. As a .keras file and as model.export().
L = keras.layers
res_in = keras.Input((12, 10, 3))
x0 = L.Conv2D(4, 3, padding="same", activation="relu", name="c0")(res_in)
r = L.Conv2D(4, 3, padding="same", name="r2")(L.Conv2D(4, 3, padding="same", activation="relu", name="r1")(x0))
x1 = L.ReLU(name="relu1")(L.Add(name="add")([x0, r]))
x2 = L.Average(name="avg")([L.Conv2D(6, 1, name="proj")(x1),
                            L.BatchNormalization(name="bn")(L.Conv2D(6, 3, padding="same", activation="relu",
                                                                     name="q1")(x1))])
cat = L.Concatenate(name="cat")([L.Conv2D(2, 1, name="c1")(x2),
                                 L.MaxPooling2D(3, strides=1, padding="same", name="mp")(x2)])
v = L.GlobalAveragePooling2D(name="gap")(cat)
res_out = L.Dense(5, name="logits")(L.Subtract(name="sub")([v, L.Dense(8, name="dd")(v)]))
merges = keras.Model(res_in, res_out, name="merges")
for layer in merges.layers:
    if isinstance(layer, L.BatchNormalization):
        random_batch_norm(layer, il_rng)
    elif layer.get_weights():
        layer.set_weights([il_rng.normal(0, .5, w.shape).astype("float32") for w in layer.get_weights()])
merges.save(f"{out}/merges.keras")
merges.export(f"{out}/merges_export", verbose=False)
refs["merges"] = merges(il_pattern).numpy()[0].tolist()

# Merges in channels_first: a residual Add, a Concatenate on axis 1 (channels) and one on axis 3 (the width), as
# a .keras file and as model.export() (NCHW ConcatV2 on axes 1 and 3). Input and reference pattern as
# channels_first_export's (3, 12, 10).
cfm_in = keras.Input((3, 12, 10))
y0 = L.Conv2D(4, 3, padding="same", activation="relu", data_format="channels_first", name="c0")(cfm_in)
y1 = L.Add(name="add")([y0, L.Conv2D(4, 3, padding="same", data_format="channels_first", name="r1")(y0)])
y2 = L.Concatenate(axis=1, name="cat_c")([L.Conv2D(2, 1, data_format="channels_first", name="c1")(y1), y1])
y3 = L.Concatenate(axis=3, name="cat_w")([y2, L.Conv2D(6, 3, padding="same", data_format="channels_first",
                                                       name="c2")(y2)])
cf_merges = keras.Model(cfm_in, L.Dense(5, name="logits")(L.Flatten(data_format="channels_first",
                                                                     name="flat")(y3)), name="merges_cf")
for layer in cf_merges.layers:
    if layer.get_weights():
        layer.set_weights([il_rng.normal(0, .3, w.shape).astype("float32") for w in layer.get_weights()])
cf_merges.save(f"{out}/merges_channels_first.keras")
cf_merges.export(f"{out}/merges_channels_first_export", verbose=False)
refs["merges_channels_first"] = cf_merges(cf_pattern).numpy()[0].tolist()

# A Dense on an image acts on its last axis: the channels in channels_last, the width in channels_first. Input and
# reference patterns as inference_layers' (12, 10, 3) and channels_first_export's (3, 12, 10).
for fmt, shape, pat in (("channels_last", (12, 10, 3), il_pattern), ("channels_first", (3, 12, 10), cf_pattern)):
    doi = keras.Sequential([keras.Input(shape),
                            L.Conv2D(4, 3, padding="same", activation="relu", data_format=fmt, name="conv"),
                            L.Dense(5, activation="relu", name="dense_on_image"),
                            L.Flatten(data_format=fmt, name="flat"), L.Dense(3, name="logits")],
                           name="dense_on_image_" + fmt)
    for layer in doi.layers:
        layer.set_weights([il_rng.normal(0, .4, w.shape).astype("float32") for w in layer.get_weights()])
    doi.save(f"{out}/dense_on_image_{fmt}.keras")
    refs["dense_on_image_" + fmt] = doi(pat).numpy()[0].tolist()

# Grouped convolutions (Conv2D groups=3 on 3 channels, then groups=2 on 6), channels_last and channels_first, as
# .keras files and exports (TensorFlow's Conv2D reads the grouped kernel [kh, kw, C/groups, out] as it is).
for fmt, shape, pat in (("channels_last", (12, 10, 3), il_pattern), ("channels_first", (3, 12, 10), cf_pattern)):
    grouped = keras.Sequential([keras.Input(shape),
                                L.Conv2D(6, 3, groups=3, activation="relu", data_format=fmt, name="g3"),
                                L.Conv2D(4, 1, groups=2, data_format=fmt, name="g2"),
                                L.Flatten(data_format=fmt, name="flat"), L.Dense(3, name="logits")],
                               name="grouped_" + fmt)
    for layer in grouped.layers:
        layer.set_weights([il_rng.normal(0, .4, w.shape).astype("float32") for w in layer.get_weights()])
    grouped.save(f"{out}/grouped_{fmt}.keras")
    if fmt == "channels_last":
        grouped.export(f"{out}/grouped_export", verbose=False)
    refs["grouped_" + fmt] = grouped(pat).numpy()[0].tolist()

# The Dense-on-image models as model.export(): Keras writes each Dense on a rank-4 input as a tensordot (Shape,
# GatherV2, Prod, Pack, an identity Transpose, a Reshape to [batch * positions, channels], MatMul, Reshape back).
# Same weights and reference logits as the .keras files. And a Dense on a sequence (rank 3 with the batch: a Reshape
# to 12 rows of 30, Dense(5)), as a .keras file and an export.
for fmt in ("channels_last", "channels_first"):
    keras.saving.load_model(f"{out}/dense_on_image_{fmt}.keras").export(f"{out}/dense_on_image_{fmt}_export",
                                                                        verbose=False)
seq_rng = np.random.default_rng(11)
dos = keras.Sequential([keras.Input((12, 10, 3)), L.Reshape((12, 30), name="rows"),
                        L.Dense(5, activation="relu", name="dense_on_rows"), L.Flatten(name="flat"),
                        L.Dense(3, name="logits")], name="dense_on_sequence")
for layer in dos.layers:
    if layer.get_weights():
        layer.set_weights([seq_rng.normal(0, .4, w.shape).astype("float32") for w in layer.get_weights()])
dos.save(f"{out}/dense_on_sequence.keras")
dos.export(f"{out}/dense_on_sequence_export", verbose=False)
refs["dense_on_sequence"] = dos(il_pattern).numpy()[0].tolist()

# A hostile file: dense_on_sequence with its Dense kernel replaced by a gzip-compressed dataset of 2^29 zeros. It
# is a few kB, but reading it would allocate 2 GiB; jlip must refuse it from the declared size.
import io
import zipfile
import h5py
with zipfile.ZipFile(f"{out}/dense_on_sequence.keras") as z:
    config, weights = z.read("config.json"), z.read("model.weights.h5")
buf = io.BytesIO(weights)
with h5py.File(buf, "r+") as h:
    del h["layers/dense/vars/0"]
    h.create_dataset("layers/dense/vars/0", shape=(2 ** 29,), dtype="float32", chunks=(2 ** 20,),
                     compression="gzip", fillvalue=0)
with zipfile.ZipFile(f"{out}/hostile_huge_weight.keras", "w") as z:
    z.writestr("config.json", config)
    z.writestr("model.weights.h5", buf.getvalue())

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
