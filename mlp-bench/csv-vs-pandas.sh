#!/usr/bin/env bash
# CSV loading, mlp against pandas.read_csv, in the same sitting (issue 13).
#
#   mlp-bench/csv-vs-pandas.sh DIR [RUNS]
#
# Writes DIR/wide-1m.csv if it is not there: 1,000,000 rows of 99 numeric columns (six decimals,
# 0.000000-0.999999) and an integer label 0-9, 893,000,392 bytes, the same on every machine
# (SplitMix64 from seed 13, computed with numpy); and DIR/wide-test.csv, its first 1,000 rows.
# Then, RUNS times (default 3), alternating:
#   mlp:    ./mlp config validate DIR/wide-1m.yaml   (JVM start, config, the whole file loaded and
#           scaled, its SHA-256, the model; train: wide-1m.csv, test: wide-test.csv, so the table's
#           own array becomes the training set; with path: and test_split the split rows are
#           copied, which needs 2x the array)
#   pandas: /usr/bin/python3 -c "pandas.read_csv(DIR/wide-1m.csv, dtype='float32')"
# each under /usr/bin/time -v (wall time, peak resident memory), and once more mlp with -Xmx600m
# (1.5x the 396 MB float32 array). Needs Debian's python3-pandas in /usr/bin/python3
# (apt-get install -y python3-pandas). Keep DIR outside the repository, e.g. /tmp/csvbench; the
# machine should be otherwise idle (the load average is printed before and after).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: $0 DIR [RUNS]}"
runs="${2:-3}"
py=/usr/bin/python3
mkdir -p "$dir"
csv="$dir/wide-1m.csv"
yaml="$dir/wide-1m.yaml"

if ! "$py" -c 'import pandas' 2>/dev/null; then
  echo "pandas is missing from $py: apt-get install -y python3-pandas" >&2
  exit 1
fi

if [ ! -f "$csv" ]; then
  echo "writing $csv ..."
  "$py" - "$csv" <<'EOF'
import sys
import numpy as np

path = sys.argv[1]
ROWS, FEATURES, CHUNK = 1_000_000, 99, 50_000
M64 = np.uint64(0xFFFFFFFFFFFFFFFF)

def splitmix64(index):
    # SplitMix64 of (seed 13, cell index): wrap-around uint64 arithmetic, the same everywhere
    with np.errstate(over="ignore"):
        z = np.uint64(13) + (index + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))

width = FEATURES * 9 + 2  # "0.dddddd," per feature, then "d\n"
with open(path + ".part", "wb") as out:
    out.write((",".join(f"f{i}" for i in range(FEATURES)) + ",label\n").encode())
    for start in range(0, ROWS, CHUNK):
        n = min(CHUNK, ROWS - start)
        cells = np.arange(start * (FEATURES + 1), (start + n) * (FEATURES + 1), dtype=np.uint64)
        r = splitmix64(cells).reshape(n, FEATURES + 1)
        frac = (r[:, :FEATURES] % np.uint64(1_000_000)).astype(np.int64)
        label = (r[:, FEATURES] % np.uint64(10)).astype(np.int64)
        b = np.empty((n, width), dtype=np.uint8)
        cell = b[:, : FEATURES * 9].reshape(n, FEATURES, 9)
        cell[:, :, 0] = ord("0")
        cell[:, :, 1] = ord(".")
        for d in range(6):
            cell[:, :, 7 - d] = ord("0") + (frac // 10**d) % 10
        cell[:, :, 8] = ord(",")
        b[:, -2] = ord("0") + label
        b[:, -1] = ord("\n")
        out.write(b.tobytes())
import os
os.replace(path + ".part", path)
EOF
fi
[ -f "$dir/wide-test.csv" ] || head -n 1001 "$csv" >"$dir/wide-test.csv"

cat >"$yaml" <<EOF
# written by mlp-bench/csv-vs-pandas.sh
name: wide-1m
seed: 1
data:
  type: csv
  train: $csv
  test: $dir/wide-test.csv
  label: label
model:
  layers:
    - {type: linear, units: 10}
    - {type: softmax_cross_entropy}
optimizer: {type: sgd, lr: 0.1}
training:
  epochs: 1
  batch_size: 128
EOF

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "CPU: $cpu, $(nproc) cores; $(java -version 2>&1 | head -1); pandas $("$py" -c 'import pandas; print(pandas.__version__)')"
echo "file: $csv, $(stat -c %s "$csv") bytes; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$csv" >/dev/null # in the page cache for both

# one timed command: prints "LABEL  wall S s  cpu C s  peak RSS M MB  exit E"
timed() {
  local label="$1"
  shift
  local log
  log="$(mktemp)"
  local status=0
  /usr/bin/time -v "$@" >"$log.out" 2>"$log" || status=$?
  local wall rss cpu
  wall="$(grep 'Elapsed (wall clock)' "$log" | sed 's/.*): //')"
  rss="$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')"
  cpu="$(grep -E '(User|System) time' "$log" | awk '{s += $NF} END {print s}')"
  # [h:]m:ss.ss to seconds
  wall="$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')"
  printf '%-14s wall %6.2f s   cpu %6.2f s   peak RSS %5d MB   exit %d\n' \
    "$label" "$wall" "$cpu" "$((rss / 1024))" "$status"
  if [ "$status" != 0 ]; then
    tail -n 3 "$log.out" "$log" | sed 's/^/    /'
  fi
  rm -f "$log" "$log.out"
}

[ -f "$here/mlp-cli/target/mlp.jar" ] || (cd "$here" && mvn -q -DskipTests install)
for i in $(seq 1 "$runs"); do
  timed "mlp #$i" "$here/mlp" config validate "$yaml"
  timed "pandas #$i" "$py" -c "import pandas; d = pandas.read_csv('$csv', dtype='float32'); print(d.shape)"
done
MLP_JAVA_OPTS=-Xmx600m timed "mlp -Xmx600m" "$here/mlp" config validate "$yaml"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
