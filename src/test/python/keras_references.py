"""The reference entries of the Keras fixture scripts: 4 inputs and Keras's logits on them."""
import numpy as np


def reference(refs, rng, model, name):
    """refs[name] = the pattern x[i] = (i % 7) / 7 (row-major in the model's layout) and 3 random inputs, with the
    model's outputs on them."""
    shape = model.input_shape[1:]
    n = int(np.prod(shape))
    pattern = (np.arange(n) % 7 / 7).astype("float32").reshape((1,) + shape)
    x = np.concatenate([pattern, rng.random((3,) + shape, dtype="float32")])
    refs[name] = {"inputs": x.reshape(4, -1).tolist(), "logits": model(x).numpy().tolist()}
