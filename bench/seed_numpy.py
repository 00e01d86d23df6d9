"""The seed: the blog post's 2-layer MLP in plain numpy (Linear -> Sigmoid -> Linear -> Softmax ->
cross-entropy, Xavier uniform, lr 0.01, batch 32, 128 hidden units), as the post writes it, with
the dtype chosen (float32 or float64). Reads MNIST's IDX files from mlp's cache and prints one JSON
object: seconds per epoch (training only), test accuracy per epoch, and the whole run's seconds
from the start of the script (imports and data loading included).

    python3 bench/seed_numpy.py --epochs 5 --dtype float32 [--threads N]

--threads sets OPENBLAS_NUM_THREADS (and the MKL/OMP equivalents) before numpy is imported.
"""
import argparse
import json
import os
import sys
import time

START = time.perf_counter()
parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
parser.add_argument("--threads", type=int, default=0)
parser.add_argument("--mnist", default=os.path.join(
    os.environ.get("MLP_HOME", os.path.expanduser("~/.cache/mlp")), "mnist"))
args = parser.parse_args()
if args.threads:
    for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[v] = str(args.threads)
import numpy as np  # noqa: E402  (after the thread settings)


def idx(name):
    path = os.path.join(args.mnist, name)
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


dt = np.dtype(args.dtype)
try:
    x_train = idx("train-images-idx3-ubyte").reshape(-1, 784).astype(dt) / dt.type(255)
    y_train = idx("train-labels-idx1-ubyte").astype(np.int64)
    x_test = idx("t10k-images-idx3-ubyte").reshape(-1, 784).astype(dt) / dt.type(255)
    y_test = idx("t10k-labels-idx1-ubyte").astype(np.int64)
except FileNotFoundError as e:
    sys.exit(f"seed_numpy.py: {e.filename}: not found; run ./mlp train once to fetch MNIST")

rng = np.random.default_rng(42)
D, H, C = 784, 128, 10
w1n = np.sqrt(6 / (D + H))
w2n = np.sqrt(6 / (H + C))
params = {
    "W1": rng.uniform(-w1n, w1n, size=(H, D)).astype(dt),
    "b1": np.zeros(H, dt),
    "W2": rng.uniform(-w2n, w2n, size=(C, H)).astype(dt),
    "b2": np.zeros(C, dt),
}
eye = np.eye(C, dtype=dt)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(x):
    logit = np.exp(x - np.amax(x, axis=1, keepdims=True))
    return logit / np.sum(logit, axis=1, keepdims=True)


def forward(x):
    fc1 = x @ params["W1"].T + params["b1"]
    sig = sigmoid(fc1)
    fc2 = sig @ params["W2"].T + params["b2"]
    return softmax(fc2), sig


def backward(x, y, out, sig):
    n = y.shape[0]
    dy = (1 / n) * (out - y)
    grads = {"W2": dy.T @ sig, "b2": np.sum(dy, axis=0)}
    grad_z1 = (dy @ params["W2"]) * sig * (1 - sig)
    grads["W1"] = grad_z1.T @ x
    grads["b1"] = np.sum(grad_z1, axis=0)
    return grads


lr = dt.type(0.01)
epochs = []
accuracy = []
for epoch in range(args.epochs):
    order = rng.permutation(len(x_train))
    t0 = time.perf_counter()
    for s in range(0, len(order) - 31, 32):
        b = order[s:s + 32]
        x = x_train[b]
        y = eye[y_train[b]]
        out, sig = forward(x)
        g = backward(x, y, out, sig)
        for k in params:
            params[k] -= lr * g[k]
    epochs.append(time.perf_counter() - t0)
    pred, _ = forward(x_test)
    accuracy.append(float(np.mean(np.argmax(pred, axis=1) == y_test)))
print(json.dumps({
    "what": "numpy seed " + args.dtype,
    "numpy": np.__version__,
    "epoch_seconds": epochs,
    "test_accuracy": accuracy,
    "whole_seconds": time.perf_counter() - START,
}))
