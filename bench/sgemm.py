#!/usr/bin/env python3
"""numpy's float32 matrix products on this CPU: the yardstick for mlp's kernels.

Square 1024² and 2048² products, then the three products of a linear layer at the shape
`mlp bench` and KernelsBenchmark use (batch 256, 1024 in, 1024 out), with the transposes mlp's
kernels compute: the forward pass X·Wᵀ, the weight gradient dYᵀ·X, the input gradient dY·W.
Prints GFLOP/s (2·m·n·k / seconds), lowest–highest over 5 timings. Last, the seconds one epoch of
the seed config spends in its five products alone (batch 32, 784 → 128 → 10, 1,875 steps): a
floor for any trainer whose products run at this BLAS's speed.

    python3 bench/sgemm.py --threads 2
    OPENBLAS_CORETYPE=Haswell python3 bench/sgemm.py --threads 2   # OpenBLAS's AVX2 code
    OPENBLAS_CORETYPE=Nehalem python3 bench/sgemm.py --threads 2   # its SSE code (128-bit)

Needs python3-numpy with OpenBLAS (Debian: libopenblas0-pthread); installs nothing.
"""
import argparse
import os
import sys

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--seconds", type=float, default=0.3, help="time per timing (default 0.3)")
parser.add_argument("--squares-only", action="store_true",
                    help="only the 1024² and 2048² products (bench/wide.sh's yardstick)")
args = parser.parse_args()
# the thread count must be set before numpy loads its BLAS
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)

import time  # noqa: E402

import numpy as np  # noqa: E402

np.ones(2) @ np.ones(2)
blas = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in open("/proc/self/maps") if "blas" in line})
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
            if line.lower().startswith("model name")), "unknown CPU")
print(f"CPU: {cpu}, {os.cpu_count()} cores")
print(f"numpy {np.__version__}, BLAS: {' '.join(blas) or 'unknown'}, "
      f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(auto)')}, {args.threads} thread(s)")

rng = np.random.default_rng(1)


def measure(name, a, b, product):
    m, k = product(a, b, shape_only=True)
    n = product.n
    flops = 2.0 * m * n * k
    product(a, b)
    reps = 1
    while True:  # enough calls for one timing to last args.seconds
        t = time.perf_counter()
        for _ in range(reps):
            product(a, b)
        if time.perf_counter() - t > args.seconds / 4:
            break
        reps *= 2
    reps = max(1, int(reps * args.seconds / max(1e-9, time.perf_counter() - t)))
    rates = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(reps):
            product(a, b)
        rates.append(flops * reps / (time.perf_counter() - t) / 1e9)
    print(f"{name:40s} {min(rates):7.1f}–{max(rates):.1f} GFLOP/s")


class Product:
    def __init__(self, ta, tb):
        self.ta, self.tb = ta, tb
        self.n = 0

    def __call__(self, a, b, shape_only=False):
        x = a.T if self.ta else a
        y = b.T if self.tb else b
        if shape_only:
            self.n = y.shape[1]
            return x.shape
        return x @ y


def f32(*shape):
    return rng.random(shape, dtype=np.float32)


for size in (1024, 2048):
    measure(f"sgemm {size}×{size}×{size}", f32(size, size), f32(size, size), Product(False, False))
if args.squares_only:
    sys.exit(0)
batch, inputs, outputs = 256, 1024, 1024
measure(f"forward X·Wᵀ {batch}×{inputs}×{outputs}", f32(batch, inputs), f32(outputs, inputs),
        Product(False, True))
measure(f"weight gradient dYᵀ·X {batch}×{inputs}×{outputs}", f32(batch, outputs),
        f32(batch, inputs), Product(True, False))
measure(f"input gradient dY·W {batch}×{inputs}×{outputs}", f32(batch, outputs),
        f32(outputs, inputs), Product(False, False))


def seed_epoch():
    """The products of one epoch of the seed config (1,875 steps of batch 32, 784 → 128 → 10),
    with preallocated outputs: the time any implementation whose products run at this BLAS's
    speed spends in them, before a single activation, loss or update."""
    b, d, h, c = 32, 784, 128, 10
    x, w1, w2 = f32(b, d), f32(h, d), f32(c, h)
    dy1, dy2 = f32(b, h), f32(b, c)
    shapes = ((b, h), (b, c), (h, d), (c, h), (b, h))
    y1, y2, dw1, dw2, dx2 = (np.empty(s, np.float32) for s in shapes)

    def step():
        np.matmul(x, w1.T, out=y1)  # forward, layer 1
        np.matmul(y1, w2.T, out=y2)  # forward, layer 2
        np.matmul(dy2.T, y1, out=dw2)  # weight gradient, layer 2
        np.matmul(dy2, w2, out=dx2)  # input gradient, layer 2 (layer 1 needs none)
        np.matmul(dy1.T, x, out=dw1)  # weight gradient, layer 1

    steps = 1875
    flops = 2.0 * b * (2 * d * h + 3 * h * c) * steps
    for _ in range(300):
        step()
    times = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(steps):
            step()
        times.append(time.perf_counter() - t)
    print(f"{'seed epoch, its products alone':40s} {min(times):7.3f}–{max(times):.3f} s "
          f"({flops / sorted(times)[2] / 1e9:.1f} GFLOP/s)")


seed_epoch()
sys.exit(0)
