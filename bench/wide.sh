#!/usr/bin/env bash
# mlp's training throughput on configs/bench-wide.yaml (784 → 1024 → 1024 → 10, batch 256) against
# numpy's float32 sgemm on this CPU, alternating round by round: a shared or virtual machine's speed
# drifts by 10-20 % within an hour, so only figures taken in the same minutes make a ratio. Each
# round runs `mlp bench` (3 measured epochs) and then bench/sgemm.py, per thread count, and prints
# both and their ratio; the last lines give the range of each over the rounds.
#
#   bench/wide.sh [ROUNDS] [THREADS...]          e.g. bench/wide.sh 3 1 2
#   MLP_JAVA_OPTS=-XX:UseAVX=2 bench/wide.sh     # AVX2 on an AVX-512 machine
#   MLP_JAVA_OPTS=-XX:MaxVectorSize=16 bench/wide.sh   # 128-bit vectors
# (numpy is then held to the same instructions: OpenBLAS's Haswell or Nehalem code)
#
# The ratio is mlp's whole training step (three layers forward and back, sigmoid, loss, SGD
# update) over numpy's best square product (1024² or 2048², whichever is faster that round), so
# it counts everything mlp does beyond the products against it. Installs nothing; needs
# python3-numpy with OpenBLAS (Debian: apt-get install python3-numpy libopenblas0-pthread), and
# MNIST in mlp's cache (./mlp train --config configs/mnist-2layer.yaml --epochs 1 once).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
rounds="${1:-3}"
shift || true
threads=("$@")
[ ${#threads[@]} -gt 0 ] || threads=(1 2)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
case " ${MLP_JAVA_OPTS:-} " in
  *" -XX:UseAVX=2 "*) export OPENBLAS_CORETYPE=Haswell ;;
  *" -XX:MaxVectorSize=16 "*) export OPENBLAS_CORETYPE=Nehalem ;;
esac
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "CPU: $cpu, $(nproc) cores; MLP_JAVA_OPTS='${MLP_JAVA_OPTS:-}'; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(auto)}; $rounds rounds; $(date -u +%FT%TZ)"
printf '%-6s %-7s %-12s %-22s %s\n' round threads "mlp GFLOP/s" "numpy sgemm GFLOP/s" "mlp ÷ numpy"
for ((r = 1; r <= rounds; r++)); do
  for t in "${threads[@]}"; do
    mlp="$(./mlp bench --config configs/bench-wide.yaml --threads "$t" --repeat 3 --json 2>/dev/null |
      "$py" -c 'import json, sys; print("%.1f" % json.load(sys.stdin)["train"]["gflops"])')"
    # the upper end of each square's five timings; the faster square counts
    blas="$("$py" bench/sgemm.py --threads "$t" |
      awk '/^sgemm/ { split($(NF-1), a, "–"); if (a[2] + 0 > best) best = a[2] + 0 } END { printf "%.1f", best }')"
    ratio="$(awk -v m="$mlp" -v b="$blas" 'BEGIN { printf "%.0f %%", 100 * m / b }')"
    printf '%-6s %-7s %-12s %-22s %s\n' "$r" "$t" "$mlp" "$blas" "$ratio"
    echo "$t $mlp $blas" >>"$out/rows"
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
