"""Writes the fixtures of padding that copies border values, and their reference outputs.

Run twice, in the venvs that have the libraries:
    python src/test/python/make_copy_padding_fixtures.py torch src/test/resources/onnx/padding
    python src/test/python/make_copy_padding_fixtures.py keras src/test/resources/keras/mirror
The files are committed; this script documents how they were made. reference-logits.json in each folder holds,
per model, 4 inputs (the pattern x[i] = (i % 7) / 7 over the model's input, row-major, then 3 random ones) and the
library's outputs on them.
- torch: PyTorch convolutions with padding_mode reflect, replicate and circular (deel-torchlip's SpectralConv2d
  takes the same padding_mode) through both exporters: the dynamo one writes ONNX Pad in modes reflect, edge and
  wrap; the TorchScript one computes the pads by shape arithmetic and writes circular padding as slices of the
  image concatenated along H and W (circular_rows, padded along H only, has a Concat of the image alone along W).
- keras: a Keras model whose custom layers pad with keras.ops.pad in modes reflect and symmetric, exported with
  model.export() (MirrorPad in the SavedModel; the .keras file of a custom layer is not readable, the export is).
"""
import json
import sys

kind, out = sys.argv[1], sys.argv[2]
refs = {}

if kind == "torch":
    import torch
    import torch.nn as nn

    torch.manual_seed(12)
    gen = torch.Generator().manual_seed(13)
    refs["torch"] = torch.__version__

    class CopyPadded(nn.Module):
        def __init__(self, circular, circular_pad=1):
            super().__init__()
            self.a = nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect")
            self.b = nn.Conv2d(3, 3, 3, padding=(2, 1), padding_mode="replicate")
            self.c = nn.Conv2d(3, 2, 3, padding=circular_pad, padding_mode="circular") if circular else None
            width = 5 if circular_pad == 1 else 3
            self.fc = nn.Linear((2 if circular else 3) * 8 * width, 4)

        def forward(self, x):
            x = torch.relu(self.a(x))
            x = torch.tanh(self.b(x))
            if self.c is not None:
                x = self.c(x)
            return self.fc(torch.flatten(x, 1))

    shape = (2, 6, 5)
    # circular_rows pads only H circularly: the TorchScript exporter then writes a Concat of one input along W.
    for name, circular, dynamo, pad in [("copy_padded_dynamo", True, True, 1), ("copy_padded", True, False, 1),
                                        ("circular_rows", True, False, (1, 0))]:
        model = CopyPadded(circular, pad).eval()
        n = 2 * 6 * 5
        pattern = (torch.arange(n) % 7 / 7).float().reshape((1,) + shape)
        x = torch.cat([pattern, torch.rand((3,) + shape, generator=gen)])
        with torch.no_grad():
            refs[name] = {"inputs": x.reshape(4, -1).tolist(), "logits": model(x).tolist()}
        kwargs = {"dynamic_shapes": {"x": {0: torch.export.Dim("batch")}}} if dynamo else {
            "dynamic_axes": {"x": {0: "batch"}}, "do_constant_folding": False}
        torch.onnx.export(model, (x,), f"{out}/{name}.onnx", input_names=["x"], output_names=["y"], dynamo=dynamo,
                          external_data=False, **kwargs)
else:
    import keras
    import numpy as np
    from keras_references import reference

    keras.utils.set_random_seed(14)
    rng = np.random.default_rng(15)
    refs["keras"] = keras.__version__

    class MirrorPad(keras.layers.Layer):
        def __init__(self, pads, mode, **kwargs):
            super().__init__(**kwargs)
            self.pads, self.mode = pads, mode

        def call(self, x):
            return keras.ops.pad(x, [[0, 0], self.pads[0], self.pads[1], [0, 0]], mode=self.mode)

    L = keras.layers
    model = keras.Sequential([keras.Input((6, 5, 2)), MirrorPad([[1, 1], [1, 1]], "reflect", name="reflect"),
                              L.Conv2D(3, 3, activation="relu", name="conv_a"),
                              MirrorPad([[2, 0], [1, 2]], "symmetric", name="symmetric"),
                              L.Conv2D(3, 3, name="conv_b"), L.Flatten(name="flat"), L.Dense(4, name="logits")],
                             name="mirror_padded")
    reference(refs, rng, model, "mirror_padded")
    model.export(f"{out}/mirror_padded_export", verbose=False)

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
