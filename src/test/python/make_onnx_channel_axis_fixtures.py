"""Writes PyTorch models whose BatchNormalization and PRelu act on tensors that are not images, and their outputs.

    python src/test/python/make_onnx_channel_axis_fixtures.py src/test/resources/onnx/channel_axis

The files are committed; this script documents how they were made (torch 2.13, TorchScript exporter, opset 17,
dynamic batch). ONNX's BatchNormalization and PRelu act on axis 1, the channels, whatever the rank:
- `sequence`: [N, 3, 5] -> BatchNorm1d(3) -> PReLU(3) -> Flatten -> Linear(15, 4);
- `sequence_square`: the same on [N, 4, 4] (as many channels as positions, where reading the wrong axis still fits);
- `conv_reshaped`: an image [N, 2, 5, 4] -> Conv2d(2, 3, 3, padding 1) -> reshape to [N, 3, 20] -> BatchNorm1d(3)
  -> Flatten -> Linear(60, 4).
Batch statistics and affine parameters are random (eval mode). reference-logits.json holds, per model, 4 inputs laid
out as jlip takes them (images NHWC, sequences as they are) and PyTorch's outputs on them.
"""
import json
import sys

import torch
import torch.nn as nn

out = sys.argv[1]
torch.manual_seed(91)


class ToSequence(nn.Module):
    def forward(self, x):
        return x.reshape(x.shape[0], x.shape[1], -1)


def randomise(model):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm1d):
            with torch.no_grad():
                m.running_mean.normal_(0, 2)
                m.running_var.uniform_(0.2, 4)
                m.weight.normal_(0, 2)
                m.bias.normal_(0, 1)
        if isinstance(m, nn.PReLU):
            with torch.no_grad():
                m.weight.uniform_(-2, 2)
    return model.eval()


models = {
    "sequence": (nn.Sequential(nn.BatchNorm1d(3), nn.PReLU(3), nn.Flatten(), nn.Linear(15, 4)), (3, 5), False),
    "sequence_square": (nn.Sequential(nn.BatchNorm1d(4), nn.PReLU(4), nn.Flatten(), nn.Linear(16, 4)), (4, 4), False),
    "conv_reshaped": (nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), ToSequence(), nn.BatchNorm1d(3), nn.Flatten(),
                                    nn.Linear(60, 4)), (2, 5, 4), True),
}
refs = {"torch": torch.__version__}
for name, (model, shape, image) in models.items():
    model = randomise(model)
    x = torch.rand((4,) + shape)
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, (x[:1],), f"{out}/{name}.onnx", dynamo=False, opset_version=17, input_names=["x"],
                      output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    held = x.permute(0, 2, 3, 1) if image else x
    refs[name] = {"inputs": held.reshape(4, -1).tolist(), "logits": y.tolist()}
with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
