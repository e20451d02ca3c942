"""Writes the legacy Keras HDF5 (.h5) fixtures of src/test/resources/keras/h5 and their reference logits.

Run with Keras 3 (the interop venv), after make_keras_fixtures.py:
    python src/test/python/make_h5_fixtures.py src/test/resources/keras src/test/resources/keras/h5
The files are committed; this script documents how they were made. Three kinds:
- twins: plain .keras fixtures loaded and saved again with model.save("x.h5") (Keras 3's legacy format: weight names
  are paths, "backbone/dense/kernel"), so the same weights give the same logits as the .keras file;
- deel_lip_style: a model with layers saved under deel-lip's class names (SpectralConv2D, SpectralDense, GroupSort,
  FrobeniusDense, re-implemented here in their inference form: deel-lip is not installable on this machine) as a
  .keras file and as an .h5, whose weights list each layer's kernel, bias, sn, sigma and wbar;
- keras2_cnn: the plain_cnn_bn_channels_last twin rewritten the way Keras 2 (tf.keras) wrote .h5 files (layer
  configs without module names, dtype strings, batch_input_shape, inbound nodes as nested lists, BatchNormalization
  axis as a list, LeakyReLU's alpha, weight names "conv/kernel:0" as byte strings). tf_keras is not in this
  machine's package index, so the file is written with h5py; Keras 3's legacy loader reads it back and must give
  the twin's logits, which checks the layout. keras2_deel_lip is deel_lip_style the same way, its wbar named
  "Variable:0" as deel-lip 1.x's unnamed tf.Variable is; keras2_mlp_tf20 is a vector MLP as TF 2.0-2.3 wrote a
  Sequential, without an InputLayer entry;
- chunked_names: functional_chain with one layer's weight_names split in chunks, as Keras does for long lists;
- broken files for the error messages (weights only, a model_config that is not JSON, a missing weight).
Logits are taken before any final softmax or sigmoid, on the pattern input x[i] = (i % 7) / 7 (row-major, in the model's own
layout).
"""
import json
import sys

import h5py
import keras
import numpy as np

src, out = sys.argv[1], sys.argv[2]
keras.utils.set_random_seed(7)
refs = {"keras": keras.__version__}


def pattern(shape):
    n = int(np.prod(shape))
    return (np.arange(n) % 7 / 7).astype("float32").reshape((1,) + tuple(shape))


def logits(model, x):
    last = model.layers[-1]
    act = getattr(last, "activation", None)
    if isinstance(last, keras.layers.Activation) and last.get_config()["activation"] == "softmax":
        return keras.Model(model.inputs, model.layers[-2].output)(x).numpy()[0]
    if act is not None and getattr(act, "__name__", "") in ("softmax", "sigmoid"):
        pre = keras.Model(model.inputs, last.input)(x).numpy()
        w = last.get_weights()
        return (pre @ w[0] + (w[1] if len(w) > 1 else 0))[0]
    return model(x, training=False).numpy()[0]


TWINS = ["functional_chain", "plain_cnn_bn_channels_last", "plain_cnn_bn_channels_first", "nested_models", "merges",
         "depthwise_channels_last", "prelu_channels_last", "dense_on_image_channels_last", "activations_mlp"]
for name in TWINS:
    m = keras.models.load_model(f"{src}/{name}.keras", compile=False)
    m.save(f"{out}/{name}.h5")
    refs[name] = logits(m, pattern(m.input_shape[1:])).tolist()


def polar(w):
    """The orthogonal factor of w (all singular values 1): what Bjorck converges to."""
    u, _, vt = np.linalg.svd(w, full_matrices=False)
    return (u @ vt).astype("float32")


def conv_coefficient(h, w, kh, kw):
    a, b = (kh - 1) / 2, (kw - 1) / 2
    return np.sqrt(h * w / ((kh * h - a * (a + 1)) * (kw * w - b * (b + 1))))


@keras.saving.register_keras_serializable("deel-lip", "GroupSort")
class GroupSort(keras.layers.Layer):
    def __init__(self, n=2, data_format="channels_last", k_coef_lip=1.0, **kwargs):
        super().__init__(**kwargs)
        self.n, self.data_format, self.k_coef_lip = n, data_format, k_coef_lip

    def call(self, x):
        s = x.shape
        g = keras.ops.sort(keras.ops.reshape(x, (-1,) + tuple(s[1:-1]) + (s[-1] // self.n, self.n)), axis=-1)
        return keras.ops.reshape(g, (-1,) + tuple(s[1:]))

    def get_config(self):
        return {**super().get_config(), "n": self.n, "data_format": self.data_format, "k_coef_lip": self.k_coef_lip}


class DeelLipState:
    """deel-lip's non-trainable state after the kernel and bias: sn (u), sigma and the inference kernel wbar."""
    NORMALISER_KEYS = ("eps_spectral", "eps_bjorck", "beta_bjorck", "maxiter_spectral", "maxiter_bjorck")

    @staticmethod
    def drop_normaliser_keys(kwargs):
        for k in DeelLipState.NORMALISER_KEYS:
            kwargs.pop(k, None)
        return kwargs

    def add_state(self, units, wbar):
        self.sn = self.add_weight(shape=(1, units), initializer="random_normal", trainable=False, name="sn")
        self.sig = self.add_weight(shape=(1, 1), initializer="ones", trainable=False, name="sigma")
        self.wbar = keras.Variable(wbar, trainable=False, name="wbar")

    def save_own_variables(self, store):
        store["0"] = self.kernel
        if self.use_bias:
            store["1"] = self.bias
        store["sn"], store["sigma"], store["wbar"] = self.sn, self.sig, self.wbar

    def load_own_variables(self, store):
        self.kernel.assign(store["0"])
        if self.use_bias:
            self.bias.assign(store["1"])
        self.sn.assign(store["sn"])
        self.sig.assign(store["sigma"])
        self.wbar.assign(store["wbar"])


@keras.saving.register_keras_serializable("deel-lip", "SpectralConv2D")
class SpectralConv2D(DeelLipState, keras.layers.Conv2D):
    def __init__(self, filters, kernel_size, k_coef_lip=1.0, **kwargs):
        kwargs.setdefault("padding", "same")
        super().__init__(filters, kernel_size, **DeelLipState.drop_normaliser_keys(kwargs))
        self.k_coef_lip = k_coef_lip

    def build(self, input_shape):
        super().build(input_shape)
        k = np.asarray(self.kernel)
        kh, kw, cin, cout = k.shape
        coef = conv_coefficient(input_shape[1], input_shape[2], kh, kw) * self.k_coef_lip
        self.add_state(cout, (polar(k.reshape(-1, cout)) * coef).reshape(k.shape).astype("float32"))

    def call(self, x):
        y = keras.ops.conv(x, self.wbar, padding="same")
        y = y + self.bias if self.use_bias else y
        return self.activation(y)

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip, "eps_spectral": 1e-3, "eps_bjorck": 1e-3,
                "beta_bjorck": 0.5, "maxiter_spectral": 10, "maxiter_bjorck": 15}


@keras.saving.register_keras_serializable("deel-lip", "SpectralDense")
class SpectralDense(DeelLipState, keras.layers.Dense):
    def __init__(self, units, k_coef_lip=1.0, **kwargs):
        super().__init__(units, **DeelLipState.drop_normaliser_keys(kwargs))
        self.k_coef_lip = k_coef_lip

    def build(self, input_shape):
        super().build(input_shape)
        self.add_state(self.units, (polar(np.asarray(self.kernel)) * self.k_coef_lip).astype("float32"))

    def call(self, x):
        y = x @ self.wbar
        y = y + self.bias if self.use_bias else y
        return self.activation(y)

    def get_config(self):
        return {**super().get_config(), "k_coef_lip": self.k_coef_lip, "eps_spectral": 1e-3, "eps_bjorck": 1e-3,
                "beta_bjorck": 0.5, "maxiter_spectral": 10, "maxiter_bjorck": 15}


@keras.saving.register_keras_serializable("deel-lip", "FrobeniusDense")
class FrobeniusDense(keras.layers.Dense):
    """Disjoint neurons: each column of wbar has norm k_coef_lip. Its state is kernel, (bias,) wbar."""

    def __init__(self, units, disjoint_neurons=True, k_coef_lip=1.0, **kwargs):
        super().__init__(units, **kwargs)
        self.disjoint_neurons, self.k_coef_lip = disjoint_neurons, k_coef_lip

    def build(self, input_shape):
        super().build(input_shape)
        k = np.asarray(self.kernel)
        self.wbar = keras.Variable((k / np.linalg.norm(k, axis=0) * self.k_coef_lip).astype("float32"),
                                   trainable=False, name="wbar")

    def call(self, x):
        y = x @ self.wbar
        return y + self.bias if self.use_bias else y

    def save_own_variables(self, store):
        store["0"] = self.kernel
        if self.use_bias:
            store["1"] = self.bias
        store["wbar"] = self.wbar

    def load_own_variables(self, store):
        self.kernel.assign(store["0"])
        if self.use_bias:
            self.bias.assign(store["1"])
        self.wbar.assign(store["wbar"])

    def get_config(self):
        return {**super().get_config(), "disjoint_neurons": self.disjoint_neurons, "k_coef_lip": self.k_coef_lip}


deel = keras.Sequential([keras.Input((12, 12, 1)), SpectralConv2D(4, 3, activation=GroupSort(2), name="conv"),
                         keras.layers.Flatten(name="flat"),
                         SpectralDense(16, activation=GroupSort(2), name="hidden"),
                         FrobeniusDense(10, use_bias=False, name="head")], name="deel_lip_style")
deel.save(f"{out}/deel_lip_style.keras")
deel.save(f"{out}/deel_lip_style.h5")
refs["deel_lip_style"] = deel(pattern((12, 12, 1))).numpy()[0].tolist()


def keras2_config(layer_json, layer):
    """A Keras 3 layer config as Keras 2 (tf.keras) wrote it."""
    def clean(v):
        if isinstance(v, dict):
            if v.get("class_name") == "DTypePolicy":
                return v["config"]["name"]
            d = {k: clean(x) for k, x in v.items() if k not in ("module", "registered_name", "build_config")}
            if ">" in str(v.get("registered_name")):
                d["class_name"] = v["registered_name"]
            return d
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v
    c = clean(layer_json)
    cfg = c["config"]
    if "batch_shape" in cfg:
        cfg["batch_input_shape"] = cfg.pop("batch_shape")
        cfg.pop("optional", None)
    if c["class_name"] == "BatchNormalization":
        rank = len(layer.input.shape)
        cfg["axis"] = [rank - 1 if cfg["axis"] == -1 else cfg["axis"]]
    if c["class_name"] == "LeakyReLU":
        cfg["alpha"] = cfg.pop("negative_slope")
    nodes = []
    for node in c.get("inbound_nodes", []):
        args = node["args"][0]
        tensors = args if isinstance(args, list) else [args]
        nodes.append([[t["config"]["keras_history"][0], t["config"]["keras_history"][1],
                       t["config"]["keras_history"][2], {}] for t in tensors])
    c["inbound_nodes"] = nodes
    return c


def write_keras2(model, path, unnamed_wbar=False, shape_on_first_layer=False):
    """model as tf.keras 2 saved it; with unnamed_wbar, wbar as deel-lip 1.x's unnamed tf.Variable ("Variable:0");
    with shape_on_first_layer, a Sequential without an InputLayer entry, its first layer carrying
    batch_input_shape (Sequential([Dense(n, input_shape=...)]) in TF 2.0-2.3)."""
    k3 = json.loads(model.to_json())
    by_name = {l.name: l for l in model.layers}
    layers = [keras2_config(l, by_name.get(l["config"]["name"])) for l in k3["config"]["layers"]]
    if shape_on_first_layer:
        assert layers[0]["class_name"] == "InputLayer"
        layers[1]["config"]["batch_input_shape"] = layers[0]["config"]["batch_input_shape"]
        layers = layers[1:]
    config = {"name": k3["config"]["name"], "layers": layers}
    if k3["class_name"] == "Functional":
        config["input_layers"] = [[model.layers[0].name, 0, 0]]
        config["output_layers"] = [[model.layers[-1].name, 0, 0]]
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"], f.attrs["backend"] = b"2.15.0", b"tensorflow"
        f.attrs["model_config"] = json.dumps({"class_name": k3["class_name"], "config": config}).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([l.name.encode("utf8") for l in model.layers])
        g.attrs["backend"], g.attrs["keras_version"] = b"tensorflow", b"2.15.0"
        for layer in model.layers:
            lg = g.create_group(layer.name)
            weights = layer.trainable_weights + layer.non_trainable_weights
            own = [w.path.split("/")[-1] for w in weights]
            names = [f"{layer.name}/{'Variable' if unnamed_wbar and o == 'wbar' else o}:0" for o in own]
            lg.attrs["weight_names"] = np.array([n.encode("utf8") for n in names])
            for n, w in zip(names, weights):
                lg.create_dataset(n, data=np.asarray(w))
    # Keras 3's legacy loader must read the file back to the same function: a check of the layout. It cannot build
    # a Sequential whose shape sits on its first layer (its variables get None sizes), so that one goes unchecked.
    x = pattern(model.input_shape[1:])
    want = logits(model, x)
    if not shape_on_first_layer:
        got = logits(keras.models.load_model(path, compile=False), x)
        assert np.allclose(want, got, rtol=1e-6, atol=1e-6), (path, want, got)
    return want.tolist()


twin = keras.models.load_model(f"{src}/plain_cnn_bn_channels_last.keras", compile=False)
refs["keras2_cnn"] = write_keras2(twin, f"{out}/keras2_cnn.h5")
refs["keras2_deel_lip"] = write_keras2(deel, f"{out}/keras2_deel_lip.h5", unnamed_wbar=True)
mlp = keras.Sequential([keras.Input((784,)), keras.layers.Dense(12, activation="relu", name="hidden"),
                        keras.layers.BatchNormalization(name="bn"), keras.layers.Dense(3, name="logits")],
                       name="mlp_tf20")
mlp.get_layer("bn").set_weights([np.asarray(v) + rng for v, rng in zip(
    mlp.get_layer("bn").get_weights(), [0.5, 0.1, 0.2, 0.7])])
refs["keras2_mlp_tf20"] = write_keras2(mlp, f"{out}/keras2_mlp_tf20.h5", shape_on_first_layer=True)

# Keras splits an attribute over HDF5's object-header limit into numbered chunks: weight_names0, weight_names1...
with open(f"{out}/functional_chain.h5", "rb") as f:
    chain_bytes = f.read()
with open(f"{out}/chunked_names.h5", "wb") as f:
    f.write(chain_bytes)
with h5py.File(f"{out}/chunked_names.h5", "a") as f:
    g = f["model_weights/logits"]
    names = list(g.attrs["weight_names"])
    del g.attrs["weight_names"]
    g.attrs["weight_names0"], g.attrs["weight_names1"] = names[:1], names[1:]

# Broken files, from a tiny model: weights only (no architecture), a model_config that is not JSON, a weight
# listed in weight_names but missing.
tiny = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")], name="tiny")
tiny.save_weights(f"{out}/weights_only.weights.h5")
for name in ["bad_config", "missing_weight"]:
    tiny.save(f"{out}/{name}.h5")
with h5py.File(f"{out}/bad_config.h5", "a") as f:
    f.attrs["model_config"] = b'{"class_name": "Sequential", "config": {'
with h5py.File(f"{out}/missing_weight.h5", "a") as f:
    del f["model_weights/d/tiny/d/bias"]

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
