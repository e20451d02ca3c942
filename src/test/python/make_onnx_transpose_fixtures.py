"""Writes the ONNX transposed-convolution fixtures of src/test/resources/onnx/transpose and their reference outputs.

Run in a venv with torch, onnx and onnxscript (the machine's local index has them):
    python src/test/python/make_onnx_transpose_fixtures.py src/test/resources/onnx/transpose
The files are committed; this script documents how they were made. One model with nn.ConvTranspose2d layers
(stride 2 with padding 1 and output_padding 1, as decoders upsample; strides (2, 1) with a 3x2 kernel and padding
(0, 1); a stride larger than the kernel), through both exporters. reference-logits.json holds 4 inputs (the pattern
x[i] = (i % 7) / 7 over the NCHW input, row-major, then 3 random ones) and PyTorch's outputs on them.
"""
import json
import sys

import torch
import torch.nn as nn

out = sys.argv[1]
torch.manual_seed(9)
gen = torch.Generator().manual_seed(10)
refs = {"torch": torch.__version__}


class Upsampling(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, padding=1)
        self.up = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)
        self.wide = nn.ConvTranspose2d(4, 3, (3, 2), stride=(2, 1), padding=(0, 1))
        self.sparse = nn.ConvTranspose2d(3, 2, 2, stride=3, bias=False)
        self.fc = nn.Linear(2 * 74 * 26, 5)

    def forward(self, x):
        x = torch.relu(self.conv(x))
        x = torch.tanh(self.up(x))
        x = torch.relu(self.wide(x))
        return self.fc(torch.flatten(self.sparse(x), 1))


model = Upsampling().eval()
shape = (2, 6, 5)
n = 2 * 6 * 5
pattern = (torch.arange(n) % 7 / 7).float().reshape((1,) + shape)
x = torch.cat([pattern, torch.rand((3,) + shape, generator=gen)])
with torch.no_grad():
    y = model(x)
assert y.shape == (4, 5), y.shape
refs["upsampling"] = {"inputs": x.reshape(4, -1).tolist(), "logits": y.tolist()}
torch.onnx.export(model, (x,), f"{out}/upsampling.onnx", input_names=["x"], output_names=["y"], dynamo=False,
                  dynamic_axes={"x": {0: "batch"}}, do_constant_folding=False)
torch.onnx.export(model, (x,), f"{out}/upsampling_dynamo.onnx", input_names=["x"], output_names=["y"], dynamo=True,
                  dynamic_shapes={"x": {0: torch.export.Dim("batch")}})
with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
