#!/usr/bin/env bash
# One benchmark session for docs/benchmarks.md and docs/performance.md: this build against a previous build, LibTorch
# 2.10 (through the TorchSharp backend) and Debian's PyTorch 1.13, on the five anchor cells, plus the main job, peak
# memory and one shard of the GradSign sweep. Run it with nothing else on the cores; PAUSE (a pgrep -f pattern) names
# background processes to stop for the session and resume afterwards.
#
# Usage: tools/bench_session.sh OUT NEW_GRADSIGN OLD_GRADSIGN      (then: tools/bench_summary.py OUT)
# Needs: a Release build (the Benchmarks project too), GRADSIGN_DATA, python3-torch and libopenblas0-pthread.
set -uo pipefail
out=$1 new=$2 old=$3
root="$(cd "$(dirname "$0")/.." && pwd)"
bench="$root/artifacts/bin/GradSign.Benchmarks/release/GradSign.Benchmarks"
mkdir -p "$out" && cd "$out"
if [[ -n "${PAUSE:-}" ]]; then
  pkill -STOP -f "$PAUSE"
  trap 'pkill -CONT -f "$PAUSE"' EXIT
fi
log() { echo "$(date -u +%T) $*" >> progress.txt; }
lscpu > lscpu.txt
"$bench" kernel-bench --shape peak > peak1.txt 2>&1
declare -A cells=(
  [best]='|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|'
  [all-conv3x3]='|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'
  [nonemix]='|nor_conv_1x1~0|+|none~0|avg_pool_3x3~1|+|none~0|nor_conv_3x3~1|none~2|'
  [all-conv1x1]='|nor_conv_1x1~0|+|nor_conv_1x1~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_1x1~1|nor_conv_1x1~2|'
  [all-skip]='|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|'
)
proxies=gradsign,synflow,grasp,snip,naswot
for c in best all-conv3x3 nonemix all-conv1x1 all-skip; do
  # Managed runs of both builds before and after the LibTorch runs: the summary takes each build's faster median.
  run() { "$1" bench --arch "${cells[$c]}" --proxies $proxies --repeats 3 --json "${@:3}" > "$2-$c.json" 2>/dev/null; }
  run "$new" new1; run "$old" old1
  run "$new" torch --backend torchsharp,torchsharp-channels-last
  run "$old" old2; run "$new" new2
  log "bench $c"
done
(cd "$root" && /usr/bin/python3 tools/bench_vs_pytorch.py --repeats 3) > pytorch.md 2> pytorch.err
log pytorch
for i in 1 2; do
  for v in new old; do
    rm -f "job-$v-$i.csv"
    /usr/bin/time -v "${!v}" correlate --dataset cifar10 --proxies gradsign,synflow,snip,naswot --sample 100 --seed 42 \
      --out "job-$v-$i.csv" > "job-$v-$i.log" 2> "job-$v-$i.time"
  done
done
log job
for v in new old; do
  /usr/bin/time -v "${!v}" score --space nb201 --arch "${cells[best]}" --dataset cifar10 --seed 42 --json > "all-$v.json" 2> "all-$v.time"
  for p in grasp gradsign snip naswot synflow; do
    /usr/bin/time -v "${!v}" score --space nb201 --arch "${cells[best]}" --dataset cifar10 --seed 42 --proxies $p --json \
      > "one-$v-$p.json" 2> "one-$v-$p.time"
  done
done
log memory
rm -f sweep.csv
/usr/bin/time -v "$new" correlate --dataset cifar10 --proxies gradsign --sample all --shard 0/64 --batch 64 --seed 42 \
  --out sweep.csv > sweep.log 2> sweep.time
"$bench" kernel-bench --reps 10 > kernels.txt 2>&1
"$bench" kernel-bench --shape peak > peak2.txt 2>&1
log done
