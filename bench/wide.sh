#!/usr/bin/env bash
# mlp's training throughput on configs/bench-wide.yaml (784 → 1024 → 1024 → 10, batch 256) against
# numpy's float32 sgemm on this CPU, alternating round by round: a shared or virtual machine's speed
# can drift by a third within an hour, so only figures taken in the same minutes make a ratio. Each
# round runs `mlp bench` (3 measured epochs) and then bench/sgemm.py's square products, per thread
# count, and prints both and their ratio; the last lines give the range of each over the rounds.
#
#   bench/wide.sh [ROUNDS] [THREADS...]          e.g. bench/wide.sh 3 1 2
#   MLP_JAVA_OPTS=-XX:UseAVX=2 bench/wide.sh     # AVX2 on an AVX-512 machine
#   MLP_JAVA_OPTS=-XX:MaxVectorSize=16 bench/wide.sh   # 128-bit vectors
# (numpy is then held to the same instructions: OpenBLAS's Haswell or Nehalem code)
#
# The ratio is mlp's median epoch of whole training steps (three layers forward and back, sigmoid,
# loss, SGD update, packing) over numpy's best timing of a bare product (the upper end of five
# timings, of 1024² or 2048², whichever is faster that round): everything mlp does beyond the
# products counts against it, so the ratio is if anything low. Installs nothing; needs python3-numpy
# with OpenBLAS (Debian: apt-get install python3-numpy libopenblas0-pthread), and MNIST in mlp's
# cache (./mlp train --config configs/mnist-2layer.yaml --epochs 1 once).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
rounds="${1:-3}"
shift || true
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2)
for n in "$rounds" "${threads[@]}"; do
  case "$n" in
    '' | *[!0-9]* | 0*) echo "wide.sh: rounds and thread counts are whole numbers from 1, got '$n'" >&2; exit 2 ;;
  esac
done
# each thread count once, in the order given
mapfile -t threads < <(printf '%s\n' "${threads[@]}" | awk '!seen[$0]++')
. bench/numpy-blas.sh # sets $py and $blas
case " ${MLP_JAVA_OPTS:-} " in
  *" -XX:UseAVX=2 "*) export OPENBLAS_CORETYPE=Haswell ;;
  *" -XX:MaxVectorSize=16 "*) export OPENBLAS_CORETYPE=Nehalem ;;
esac
if ! "$py" -c 'import numpy' 2>/dev/null; then
  echo "wide.sh: $py cannot import numpy (Debian: apt-get install python3-numpy libopenblas0-pthread)" >&2
  exit 2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "CPU: $cpu, $(nproc) cores; MLP_JAVA_OPTS='${MLP_JAVA_OPTS:-}'; $rounds rounds; $(date -u +%FT%TZ)"
echo "numpy's BLAS: ${blas:-unknown}; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(auto)}"
numpy_blas_warning
printf '%-6s %-7s %-12s %-22s %s\n' round threads "mlp GFLOP/s" "numpy sgemm GFLOP/s" "mlp ÷ numpy"
for ((r = 1; r <= rounds; r++)); do
  for t in "${threads[@]}"; do
    if ! ./mlp bench --config configs/bench-wide.yaml --threads "$t" --repeat 3 --json \
      >"$out/mlp.json" 2>"$out/mlp.err"; then
      cat "$out/mlp.err" >&2
      exit 1
    fi
    if [ "$r" = 1 ]; then
      "$py" -c 'import json, sys
b = json.load(open(sys.argv[1]))
print("mlp, %s thread(s): %s; CPU vector flags: %s" % (sys.argv[2], b["kernels"], " ".join(b["cpu"]["vector_flags"])))' \
        "$out/mlp.json" "$t"
    fi
    mlp="$("$py" -c 'import json, sys; print("%.1f" % json.load(open(sys.argv[1]))["train"]["gflops"])' "$out/mlp.json")"
    # the upper end of each square's five timings; the faster square counts
    blas_rate="$("$py" bench/sgemm.py --threads "$t" --squares-only |
      awk '/^sgemm/ { split($(NF-1), a, "–"); if (a[2] + 0 > best) best = a[2] + 0 } END { printf "%.1f", best }')"
    ratio="$(awk -v m="$mlp" -v b="$blas_rate" 'BEGIN { printf "%.0f %%", 100 * m / b }')"
    printf '%-6s %-7s %-12s %-22s %s\n' "$r" "$t" "$mlp" "$blas_rate" "$ratio"
    echo "$t $mlp $blas_rate" >>"$out/rows"
  done
done
echo
for t in "${threads[@]}"; do
  awk -v t="$t" '$1 == t {
      r = 100 * $2 / $3
      if (n == 0 || $2 < m0) m0 = $2; if ($2 > m1) m1 = $2
      if (n == 0 || $3 < b0) b0 = $3; if ($3 > b1) b1 = $3
      if (n == 0 || r < r0) r0 = r; if (r > r1) r1 = r
      n++
    }
    END { printf "%s thread(s): mlp %.1f–%.1f GFLOP/s, numpy sgemm %.1f–%.1f, mlp at %.0f–%.0f %% of it (%d rounds)\n", t, m0, m1, b0, b1, r0, r1, n }' \
    "$out/rows"
done
