#!/usr/bin/env bash
# mlp against the seed's numpy network (float32) and the same network in PyTorch, on this CPU, in
# one sitting: each round runs every contender once, in turn, so a change in the machine's load
# touches all of them alike. Prints per-epoch seconds (training only), the whole command's wall
# seconds for 5 epochs (start-up and data loading included), evaluation of the 10,000 test images,
# and the ratios. Installs nothing; needs python3-numpy with OpenBLAS, and python3-torch for the PyTorch
# rows (Debian: apt-get install python3-numpy libopenblas0-pthread python3-torch). MNIST must be in mlp's cache: run
# ./mlp train --config configs/mnist-2layer.yaml --epochs 1 once.
#
#   bench/compare.sh [ROUNDS] [THREADS...]      e.g. bench/compare.sh 3 1 2
#   MLP_JAVA_OPTS=-XX:UseAVX=2 bench/compare.sh   # AVX2 on an AVX-512 machine
#   MLP_JAVA_OPTS=-XX:MaxVectorSize=16 bench/compare.sh   # 128-bit vectors, as on ARM NEON
# (numpy and PyTorch are then held to the same instructions: OpenBLAS's Haswell or Nehalem code,
# numpy's loops without AVX-512 or AVX, PyTorch's and oneDNN's AVX2 or SSE kernels)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
rounds="${1:-3}"
shift || true
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2)
. bench/numpy-blas.sh # sets $py and $blas
have_torch=yes
"$py" -c 'import torch' 2>/dev/null || have_torch=no
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
flags="$(grep -m1 '^flags' /proc/cpuinfo)"
isa="SSE"
case "$flags" in *avx2*) isa="AVX2" ;; esac
case "$flags" in *avx512f*) isa="AVX-512" ;; esac
echo "CPU: $cpu, $(nproc) cores, $isa; MLP_JAVA_OPTS='${MLP_JAVA_OPTS:-}'; $rounds rounds; $(date -u +%FT%TZ)"
# When mlp is held to narrower vectors than the CPU has (emulating an AVX2 or a 128-bit machine),
# numpy's OpenBLAS and loops and PyTorch are held to the same, so that every column of a row runs
# on the instructions of the machine it stands for.
case " ${MLP_JAVA_OPTS:-} " in
  *" -XX:UseAVX=2 "*)
    export OPENBLAS_CORETYPE=Haswell ATEN_CPU_CAPABILITY=avx2 DNNL_MAX_CPU_ISA=AVX2
    export NPY_DISABLE_CPU_FEATURES="AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"
    ;;
  *" -XX:MaxVectorSize=16 "*)
    export OPENBLAS_CORETYPE=Nehalem ATEN_CPU_CAPABILITY=default DNNL_MAX_CPU_ISA=SSE41
    export NPY_DISABLE_CPU_FEATURES="AVX F16C FMA3 AVX2 AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL"
    ;;
esac
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  echo "numpy and PyTorch held alike: OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE ATEN_CPU_CAPABILITY=$ATEN_CPU_CAPABILITY DNNL_MAX_CPU_ISA=$DNNL_MAX_CPU_ISA NPY_DISABLE_CPU_FEATURES='$NPY_DISABLE_CPU_FEATURES'"
fi
[ "$have_torch" = yes ] || echo "(no PyTorch rows: $py cannot import torch; apt-get install python3-torch)"
echo "numpy's BLAS: ${blas:-unknown}"
numpy_blas_warning

for ((r = 1; r <= rounds; r++)); do
  for t in "${threads[@]}"; do
    ./mlp bench --config configs/mnist-2layer.yaml --threads "$t" --json >"$out/bench-$t-$r.json" 2>/dev/null
    "$py" bench/seed_numpy.py --epochs 5 --dtype float32 --threads "$t" >"$out/numpy-$t-$r.json"
    if [ "$have_torch" = yes ]; then
      "$py" bench/seed_torch.py --epochs 5 --threads "$t" >"$out/torch-$t-$r.json"
    fi
    s=$(date +%s.%N)
    ./mlp train --config configs/mnist-2layer.yaml --epochs 5 --threads "$t" --json \
      --out "$out/run-$t-$r" >"$out/lines-$t-$r.jsonl" 2>/dev/null
    e=$(date +%s.%N)
    "$py" - "$out/lines-$t-$r.jsonl" "$(awk "BEGIN{print $e - $s}")" >"$out/train-$t-$r.json" <<'PY'
import json, sys
epochs = [json.loads(l)["seconds"] for l in open(sys.argv[1]) if l.startswith('{"epoch"')]
print(json.dumps({"whole_seconds": float(sys.argv[2]), "epoch_seconds": epochs}))
PY
    rm -rf "$out/run-$t-$r"
  done
done
s=$(date +%s.%N); ./mlp --version >/dev/null; e=$(date +%s.%N)
version=$(awk "BEGIN{print $e - $s}")

"$py" - "$out" "$rounds" "$version" "${threads[@]}" <<'PY'
import json, os, statistics, sys
out, rounds, version, threads = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
def load(name):
    p = os.path.join(out, name)
    return json.load(open(p)) if os.path.exists(p) else None
def span(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return "—", None
    m = statistics.median(xs)
    return (f"{min(xs):.3f}–{max(xs):.3f}" if len(xs) > 1 else f"{m:.3f}"), m
print()
print("| threads | measure | mlp | numpy seed float32 | PyTorch CPU | numpy ÷ mlp | PyTorch ÷ mlp |")
print("|---|---|---|---|---|---|---|")
for t in threads:
    b = [load(f"bench-{t}-{r}.json") for r in range(1, rounds + 1)]
    n = [load(f"numpy-{t}-{r}.json") for r in range(1, rounds + 1)]
    p = [load(f"torch-{t}-{r}.json") for r in range(1, rounds + 1)]
    w = [load(f"train-{t}-{r}.json") for r in range(1, rounds + 1)]
    rows = [
        ("s/epoch (warm)",
         [x["train"]["seconds_per_epoch"] for x in b],
         [statistics.median(x["epoch_seconds"][1:]) for x in n if x],
         [statistics.median(x["epoch_seconds"][1:]) for x in p if x]),
        ("first epoch ÷ warm",
         [x["epoch_seconds"][0] / statistics.median(x["epoch_seconds"][1:]) for x in w], [x["epoch_seconds"][0] / statistics.median(x["epoch_seconds"][1:]) for x in n if x],
         [x["epoch_seconds"][0] / statistics.median(x["epoch_seconds"][1:]) for x in p if x]),
        ("whole command, 5 epochs, s",
         [x["whole_seconds"] for x in w],
         [x["whole_seconds"] for x in n if x],
         [x["whole_seconds"] for x in p if x]),
        ("evaluate 10,000 images, s",
         [x["inference"]["seconds"] for x in b], [None],
         [statistics.median(x["eval_seconds"]) for x in p if x]),
    ]
    for name, mine, np_, pt in rows:
        ms, mm = span(mine)
        ns, nm = span(np_)
        ps, pm = span(pt)
        r1 = f"{nm / mm:.2f}×" if mm and nm else "—"
        r2 = f"{pm / mm:.2f}×" if mm and pm else "—"
        print(f"| {t} | {name} | {ms} | {ns} | {ps} | {r1} | {r2} |")
print()
print(f"mlp --version: {version:.2f} s; kernels: {load(f'bench-{threads[0]}-1.json')['kernels']}")
PY
