#!/usr/bin/env bash
# A load test of mlp serve on this machine: starts ./mlp serve on a free loopback port with the
# checkpoint given, then runs mlp-bench's ServeLoad in another process — 8 keep-alive clients ×
# 2,000 requests of 1 MNIST test image, three times (the first one cold: the JIT still compiling),
# then five times of 64 images, then once more of 1 — and prints requests/s, p50/p99/max latency,
# errors and the server's resident memory, a line a round. The rounds run one after another in one
# client process, as a service that calls the model stays up. The client shares the machine's cores
# with the server.
#
#   bench/serve-load.sh runs/<run>/checkpoints/last.safetensors [CLIENTS] [REQUESTS]
#
# Needs the built jars (mvn -q -DskipTests install) and MNIST in mlp's cache.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
checkpoint="${1:?usage: bench/serve-load.sh CHECKPOINT [CLIENTS] [REQUESTS]}"
clients="${2:-8}"
requests="${3:-2000}"
images="${MLP_HOME:-$HOME/.cache/mlp}/mnist/t10k-images-idx3-ubyte"
jar="$here/mlp-bench/target/mlp-benchmarks.jar"
[ -f "$jar" ] || { echo "serve-load: $jar not found; run mvn -q -DskipTests install" >&2; exit 2; }
[ -f "$images" ] || { echo "serve-load: $images not found; train the seed once" >&2; exit 2; }
out="$(mktemp -d)"
"$here/mlp" serve --checkpoint "$checkpoint" --port 0 >"$out/serve.out" 2>"$out/serve.err" &
launcher=$!
trap 'kill -TERM "$launcher" 2>/dev/null; wait "$launcher" 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 600); do
  grep -q 'serving' "$out/serve.out" 2>/dev/null && break
  kill -0 "$launcher" 2>/dev/null || { cat "$out/serve.err" >&2; exit 1; }
  sleep 0.1
done
port="$(grep -o '127.0.0.1:[0-9]*' "$out/serve.out" | cut -d: -f2)"
pid="$(pgrep -P "$launcher" java | head -1)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "CPU: $cpu, $(nproc) cores; $(date -u +%FT%TZ)"
cat "$out/serve.out"
java -cp "$jar" dev.mlp.bench.ServeLoad "$port" "$pid" "$clients" "$requests" 1,1,1,64,64,64,64,64,1 "$images"
