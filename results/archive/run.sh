#!/usr/bin/env bash
# Runs the archive's cells in the order of order.txt ("<plan folder> <cell index>" a line), one at
# a time, skipping cells already written: resumable, and a cell that is interrupted is simply run
# again. Usage (from the repository root): results/archive/run.sh [max-seconds]
# Each finished cell is DIR/cells/cell-NNNN.json; costs.tsv gets its wall time and the load.
set -u
cd "$(dirname "$0")/../.."
A=results/archive
stop=$(( $(date +%s) + ${1:-1000000000} ))
while read -r dir i; do
  [ -z "$dir" ] && continue
  f=$(printf '%s/%s/cells/cell-%04d.json' "$A" "$dir" "$i")
  [ -e "$f" ] && continue
  [ "$(date +%s)" -ge "$stop" ] && break
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s.%N)
  nice -n 10 node bin/px-lab.mjs sweep --plan "$A/$dir/plan.json" --cell "$i" --cells "$A/$dir/cells" || echo "cell $dir $i failed" >&2
  t1=$(date +%s.%N)
  [ -e "$f" ] && printf '%s\t%s\t%.1f\t%s\t%s\n' "$dir" "$i" "$(echo "$t1 - $t0" | bc)" "$load" "$(date -u +%FT%TZ)" >> "$A/costs.tsv"
done < "$A/order.txt"
