"""The seed network in PyTorch on the CPU, float32: the same layers, Xavier uniform initialisation,
plain SGD (lr 0.01, batch 32, 128 hidden units), autograd for the backward pass. Reads MNIST's IDX
files from mlp's cache; prints one JSON object as bench/seed_numpy.py does.

    python3 bench/seed_torch.py --epochs 5 --threads 2

Needs Debian's python3-torch (apt-get install python3-torch); nothing is installed by this script.
"""
import argparse
import json
import os
import sys
import time

START = time.perf_counter()
parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--mnist", default=os.path.join(
    os.environ.get("MLP_HOME", os.path.expanduser("~/.cache/mlp")), "mnist"))
args = parser.parse_args()
try:
    import numpy as np
    import torch
except ImportError as e:
    sys.exit(f"seed_torch.py: {e.name} is missing: apt-get install python3-torch python3-numpy")
torch.set_num_threads(args.threads)
torch.manual_seed(42)


def idx(name):
    with open(os.path.join(args.mnist, name), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


x_train = torch.from_numpy(idx("train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
y_train = torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
x_test = torch.from_numpy(idx("t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255)
y_test = torch.from_numpy(idx("t10k-labels-idx1-ubyte").astype(np.int64))

model = torch.nn.Sequential(
    torch.nn.Linear(784, 128), torch.nn.Sigmoid(), torch.nn.Linear(128, 10))
for m in model:
    if isinstance(m, torch.nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        torch.nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = torch.nn.CrossEntropyLoss()
epochs = []
accuracy = []
eval_seconds = []
for epoch in range(args.epochs):
    order = torch.randperm(len(x_train))
    t0 = time.perf_counter()
    for s in range(0, len(order) - 31, 32):
        b = order[s:s + 32]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x_train[b]), y_train[b])
        loss.backward()
        opt.step()
    epochs.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    with torch.no_grad():
        pred = model(x_test).argmax(dim=1)
    eval_seconds.append(time.perf_counter() - t0)
    accuracy.append(float((pred == y_test).float().mean()))
print(json.dumps({
    "what": f"pytorch {torch.__version__} cpu, {args.threads} thread(s)",
    "epoch_seconds": epochs,
    "eval_seconds": eval_seconds,
    "test_accuracy": accuracy,
    "whole_seconds": time.perf_counter() - START,
}))
