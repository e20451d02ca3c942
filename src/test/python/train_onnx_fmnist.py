"""Trains a small PyTorch convnet on Fashion-MNIST, exports it to ONNX, and records PyTorch's own test figures.

Run in a venv with torch and onnxscript (the machine's local index has them):
    python src/test/python/train_onnx_fmnist.py /usr/share/datasets/fashion-mnist src/test/resources/onnx
Writes fmnist_cnn.onnx (self-contained) and fmnist_cnn.json: PyTorch's test accuracy and predicted classes on the
10,000 test images scaled to [0, 1], which OnnxFashionMnistTest compares with jlip's predictions on the same
images. Seeded; 2 epochs of Adam on 2 CPU cores take about a minute.
"""
import gzip
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

data, out = sys.argv[1], sys.argv[2]
torch.manual_seed(0)
torch.set_num_threads(2)


def idx(name):
    with gzip.open(f"{data}/{name}", "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x_train = torch.tensor(idx("train-images-idx3-ubyte.gz") / 255.0, dtype=torch.float32).unsqueeze(1)
y_train = torch.tensor(idx("train-labels-idx1-ubyte.gz"), dtype=torch.long)
x_test = torch.tensor(idx("t10k-images-idx3-ubyte.gz") / 255.0, dtype=torch.float32).unsqueeze(1)
y_test = torch.tensor(idx("t10k-labels-idx1-ubyte.gz"), dtype=torch.long)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc1 = nn.Linear(32 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.relu(self.c2(x))
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


model = Cnn()
opt = torch.optim.Adam(model.parameters(), 1e-3)
for epoch in range(2):
    model.train()
    perm = torch.randperm(len(x_train))
    for i in range(0, len(x_train), 128):
        b = perm[i:i + 128]
        opt.zero_grad()
        F.cross_entropy(model(x_train[b]), y_train[b]).backward()
        opt.step()
model.eval()
with torch.no_grad():
    pred = model(x_test).argmax(1)
accuracy = (pred == y_test).float().mean().item()
print(f"test accuracy {accuracy:.4f}")
torch.onnx.export(model, (x_test[:2],), f"{out}/fmnist_cnn.onnx", input_names=["x"], output_names=["logits"],
                  dynamo=False, dynamic_axes={"x": {0: "batch"}})
with open(f"{out}/fmnist_cnn.json", "w") as f:
    json.dump({"torch": torch.__version__, "accuracy": accuracy, "predicted": pred.tolist()}, f)
