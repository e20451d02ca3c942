"""Writes the ONNX fixtures of src/test/resources/onnx and their reference logits, from PyTorch.

Run in a venv with torch, onnx and onnxscript (the machine's local index has them):
    python src/test/python/make_onnx_fixtures.py src/test/resources/onnx
The files are committed; this script documents how they were made. reference-logits.json holds, per file, 4
inputs (the pattern x[i] = (i % 7) / 7 over the NCHW input, row-major, then 3 random ones) and PyTorch's outputs
on them (log-probabilities where the model ends in log_softmax, probabilities after a softmax).
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

out = sys.argv[1]
torch.manual_seed(3)
gen = torch.Generator().manual_seed(4)
refs = {"torch": torch.__version__}


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.b1 = nn.BatchNorm2d(c)
        self.c2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.b2 = nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + x)


class ResidualCnn(nn.Module):
    """Conv, a residual block with batch norms, grouped and depthwise strided convs, pooling, view, linear."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 8, 3, padding=1)
        self.block = Block(8)
        self.grouped = nn.Conv2d(8, 8, 3, padding=1, groups=2)
        self.depthwise = nn.Conv2d(8, 16, 3, stride=2, padding=1, groups=8)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(16 * 3 * 3, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = self.block(x)
        x = F.leaky_relu(self.grouped(x), 0.1)
        x = self.pool(self.depthwise(x))
        return F.log_softmax(self.fc(x.view(x.size(0), -1)), dim=1)


class PooledCnn(nn.Module):
    """Normalisation by constants, max pooling, channel concatenation, global average pooling, flatten."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 6, 3, padding=1)
        self.b = nn.Conv2d(3, 4, 1)
        self.c = nn.Conv2d(10, 12, 3, stride=2, padding=1)
        self.fc = nn.Linear(12, 5)

    def forward(self, x):
        x = (x - 0.5) / 0.25
        x = torch.cat([F.relu6(self.a(x)), torch.tanh(self.b(x))], dim=1)
        x = F.max_pool2d(x, 2)
        x = F.elu(self.c(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return torch.softmax(self.fc(x), dim=1)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(28 * 28, 32)
        self.l2 = nn.Linear(32, 16)
        self.l3 = nn.Linear(16, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = torch.clamp(self.l1(x), 0.0, 2.0)
        x = torch.sigmoid(self.l2(x))
        return self.l3(x)


def group_sort(x, n):
    """deel-torchlip's GroupSort: the whole batch in rows of n, each row sorted, reshaped back."""
    rows = x.reshape([-1, n])
    if n == 2:
        a, b = torch.chunk(rows, 2, 1)
        return torch.cat((torch.min(a, b), torch.max(a, b)), dim=1).reshape(x.shape)
    return torch.sort(rows)[0].reshape(x.shape)


def max_min(x):
    """deel-torchlip's MaxMin: relu(x) and relu(-x) concatenated on the channel axis."""
    return torch.cat((F.relu(x), F.relu(-x)), dim=1)


class TorchlipStyle(nn.Module):
    """deel-torchlip's activations (functional forms written here: the package is not installable on this machine)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 4, 3, padding=1)
        self.c2 = nn.Conv2d(4, 4, 3, padding=1)
        self.l1 = nn.Linear(8 * 6 * 6, 16)
        self.l2 = nn.Linear(16, 8)
        self.l3 = nn.Linear(8, 10)

    def forward(self, x):
        x = group_sort(self.c1(x), 2)
        x = max_min(self.c2(x))
        x = torch.flatten(F.avg_pool2d(x, 2), 1)
        x = group_sort(self.l1(x), 4)
        x = torch.sort(self.l2(x))[0]
        return self.l3(x)


class PaddedPools(nn.Module):
    """Pooling with explicit padding: a max pool (padded with -infinity) and an average counting its zeros."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(2, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        x = F.max_pool2d(self.c(x), 3, stride=2, padding=1)
        x = F.avg_pool2d(F.relu(x), 3, stride=2, padding=1)
        return self.fc(torch.flatten(x, 1))


class ChannelsLastInput(nn.Module):
    """Takes NHWC images and transposes them first, as models converted from TensorFlow do."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 6 * 5, 3)

    def forward(self, x):
        x = F.relu(self.c(x.permute(0, 3, 1, 2)))
        return self.fc(torch.flatten(x, 1))


class Interpolated(nn.Module):
    """F.interpolate as classifiers use it: bilinear (with and without align_corners) and nearest."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(2, 3, 3, padding=1)
        self.fc = nn.Linear(3 * 10 * 9, 4)

    def forward(self, x):
        x = F.interpolate(self.c(x), size=(20, 24), mode="bilinear", align_corners=False)
        x = F.interpolate(F.relu(x), scale_factor=2, mode="nearest")
        x = F.interpolate(x, size=(10, 9), mode="bilinear", align_corners=True)
        return self.fc(torch.flatten(x, 1))


class Gated(nn.Module):
    """The smooth and gated activations (SiLU, GELU, hard swish, Mish, hard sigmoid, ELU(0.5), PReLU per channel)
    after convolutions, the first one dilated."""

    def __init__(self):
        super().__init__()
        # The first convolution is dilated (rate 2).
        self.convs = nn.ModuleList([nn.Conv2d(2, 4, 3, padding=2, dilation=2)]
                                   + [nn.Conv2d(4, 4, 3, padding=1) for i in range(6)])
        self.acts = nn.ModuleList([nn.SiLU(), nn.GELU(), nn.Hardswish(), nn.Mish(), nn.Hardsigmoid(), nn.ELU(0.5),
                                   nn.PReLU(4)])
        self.fc = nn.Linear(4 * 6 * 6, 3)
        with torch.no_grad():
            self.acts[6].weight.uniform_(-1.5, 1.5)

    def forward(self, x):
        for conv, act in zip(self.convs, self.acts):
            x = act(conv(x))
        return self.fc(torch.flatten(x, 1))


class L2Pooled(nn.Module):
    """deel-torchlip's L2 poolings as its vanilla_export leaves them: nn.LPPool2d(2, 2) (ScaledL2NormPool2d), a
    hand-written sqrt(avg_pool2d(x ** 2)), F.lp_pool2d over the whole image (ScaledAdaptativeL2NormPool2d), and a
    mean over H and W beside it."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 4, 3, padding=1)
        self.c2 = nn.Conv2d(4, 6, 3, padding=1)
        self.pool = nn.LPPool2d(2, 2)
        self.fc = nn.Linear(12, 3)

    def forward(self, x):
        x = self.pool(self.c1(x))
        x = torch.sqrt(F.avg_pool2d(self.c2(x) ** 2, 2))
        g = F.lp_pool2d(x, 2, (2, 2))
        return self.fc(torch.cat([torch.flatten(g, 1), x.mean((2, 3))], 1))


def blocks_downsample(x, k):
    """deel-torchlip's functional invertible_downsample: H and W each split as (k, H / k), blocks moved to channels."""
    c, h, w = x.shape[1:]
    x = x.reshape(-1, c, k, h // k, k, w // k)
    return x.permute(0, 1, 2, 4, 3, 5).reshape(-1, c * k * k, h // k, w // k)


class Rearranged(nn.Module):
    """Values moved, not mixed: deel-torchlip's InvertibleDownSampling as strided slices concatenated, pixel_shuffle,
    its functional invertible_downsample, pixel_unshuffle and a crop of channels and width."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 4, 3, padding=1)
        self.c2 = nn.Conv2d(16, 8, 3, padding=1)
        self.c3 = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(28 * 2 * 1, 3)

    def forward(self, x):
        x = self.c1(x)
        x = torch.cat([x[:, :, i::2, j::2] for i in range(2) for j in range(2)], 1)
        x = F.pixel_shuffle(self.c2(x), 2)
        x = blocks_downsample(x, 2)
        x = F.pixel_unshuffle(self.c3(x), 2)
        return self.fc(torch.flatten(x[:, 2:30, :, 1:], 1))


class ChannelMean(nn.Module):
    """A mean over the channels: not a pooling jlip reads (refused, naming the axes)."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        return self.fc(torch.flatten(self.c(x).mean(1), 1))


class Cubed(nn.Module):
    """A power other than L2 pooling's (refused)."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 2)

    def forward(self, x):
        return self.fc(torch.flatten(x, 1) ** 3)


def reference(model, name, shape):
    n = 1
    for d in shape:
        n *= d
    pattern = (torch.arange(n) % 7 / 7).float().reshape((1,) + shape)
    x = torch.cat([pattern, torch.rand((3,) + shape, generator=gen)])
    with torch.no_grad():
        y = model(x)
    refs[name] = {"inputs": x.reshape(4, -1).tolist(), "logits": y.tolist()}
    return x


def with_statistics(model):
    """Running statistics other than the initial ones, so the batch norms compute something."""
    model.eval()
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    return model


def export(model, name, shape, dynamo):
    x = reference(model, name, shape)
    kwargs = {"dynamic_shapes": {"x": {0: torch.export.Dim("batch")}}} if dynamo else {
        "dynamic_axes": {"x": {0: "batch"}}, "do_constant_folding": False}
    torch.onnx.export(model, (x,), f"{out}/{name}.onnx", input_names=["x"], output_names=["y"], dynamo=dynamo,
                      **kwargs)


residual = with_statistics(ResidualCnn())
export(residual, "residual_cnn", (1, 12, 12), dynamo=False)
export(residual, "residual_cnn_dynamo", (1, 12, 12), dynamo=True)
export(PooledCnn().eval(), "pooled_cnn", (3, 8, 8), dynamo=False)
export(Mlp().eval(), "mlp", (1, 28, 28), dynamo=True)
torchlip = TorchlipStyle().eval()
export(torchlip, "torchlip_style", (1, 12, 12), dynamo=False)
export(torchlip, "torchlip_style_dynamo", (1, 12, 12), dynamo=True)
export(PaddedPools().eval(), "padded_pools", (2, 13, 13), dynamo=True)
export(ChannelsLastInput().eval(), "channels_last_input", (6, 5, 3), dynamo=False)
interpolated = Interpolated().eval()
export(interpolated, "interpolated", (2, 14, 16), dynamo=False)
export(interpolated, "interpolated_dynamo", (2, 14, 16), dynamo=True)
mlp_bn = with_statistics(nn.Sequential(nn.Flatten(), nn.Linear(12, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.3),
                                       nn.Linear(8, 3), nn.Softmax(dim=1)))
export(mlp_bn, "mlp_bn", (3, 2, 2), dynamo=False)
gated = Gated().eval()
export(gated, "gated", (2, 6, 6), dynamo=False)
export(gated, "gated_dynamo", (2, 6, 6), dynamo=True)

l2_pooled = L2Pooled().eval()
export(l2_pooled, "l2_pooled", (2, 8, 8), dynamo=False)
export(l2_pooled, "l2_pooled_dynamo", (2, 8, 8), dynamo=True)
rearranged = Rearranged().eval()
export(rearranged, "rearranged", (2, 8, 8), dynamo=False)
export(rearranged, "rearranged_dynamo", (2, 8, 8), dynamo=True)
export(ChannelMean().eval(), "channel_mean", (1, 4, 4), dynamo=True)
export(Cubed().eval(), "cubed", (1, 4, 4), dynamo=False)

with open(f"{out}/reference-logits.json", "w") as f:
    json.dump(refs, f, indent=1)
