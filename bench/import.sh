#!/usr/bin/env bash
# Import benchmark: `ftr import` of a large Prowler OCSF JSON scan (bench/gen_ocsf.py, fixed
# seed, 200,000 findings of about 4 KB) against jq reading the same file, measured in the same
# run, since the machine is shared and only the ratios carry over. The baselines are
# `jq length` (parse the whole array) and jq collecting every finding's
# unmapped.compliance["AWS-Foundational-Technical-Review"], the field ftr reads. ftr imports
# into a fresh partner-hosted project each round, with FTR_TODAY and FTR_NOW pinned. A scan a
# tenth the size is imported too, to check ftr's peak memory stays flat in the file's size.
# Prints wall times (median of the rounds), peak RSS (the highest of the rounds) and the ratios
# ftr/jq. Fails only when a command fails: there are no timing thresholds.
#
#   bench/import.sh                  # 200,000 findings, flatness checked against 20,000
#   bench/import.sh 50000 5000       # smaller, for a quick look
#   RUNS=5 bench/import.sh           # more rounds
#
# Needs python3, jq and GNU time (jq and time are installed with apt-get when missing).
# Everything is written to a temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

big=${1:-200000}
small=${2:-20000}
runs=${RUNS:-3}

command -v python3 >/dev/null || { echo "import.sh: python3 is needed to generate the scan" >&2; exit 1; }
need=()
command -v jq >/dev/null || need+=(jq)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "import.sh: ${need[*]} missing and no sudo to install it" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq || true
  "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null || true
fi
command -v jq >/dev/null || { echo "import.sh: jq is missing and could not be installed (apt package jq)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "import.sh: GNU time (/usr/bin/time) is missing and could not be installed (apt package time)" >&2; exit 1; }

cargo build --release --locked --quiet
ftr="$PWD/target/release/ftr"
gen="$PWD/bench/gen_ocsf.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

export FTR_DATA_DIR="$work/.data" FTR_TODAY=2026-11-26 FTR_NOW=2026-11-26T09:00:00Z
mkdir scans project
big_file="scans/prowler-output-big.ocsf.json"
small_file="scans/prowler-output-small.ocsf.json"
echo "== generating Prowler OCSF scans: $big and $small findings"
python3 "$gen" "$big_file" "$big"
python3 "$gen" "$small_file" "$small"
big_bytes=$(stat -c %s "$big_file")
small_bytes=$(stat -c %s "$small_file")
echo "   $((big_bytes / 1048576)) MiB and $((small_bytes / 1048576)) MiB"

proj="$work/project/ftr-assessment.toml"
"$ftr" new "$work/project" --model partner-hosted >/dev/null
"$ftr" set model partner-hosted --project "$proj" >/dev/null
cp "$proj" "$work/pristine.toml"

cat scans/* >/dev/null   # warm the page cache for every tool

measure() { # label, command...: leaves "seconds maxrss_kb" in time.LABEL, output in out.LABEL
  local label=$1; shift
  if ! /usr/bin/time -f "%e %M" -o "$work/time.$label" "$@" >"$work/out.$label" 2>&1; then
    echo "import.sh: failed: $*" >&2
    cat "$work/out.$label" >&2
    exit 1
  fi
}
fresh() { cp "$work/pristine.toml" "$proj"; } # else the second import is "already imported"

jq_ftr='[.[] | .unmapped.compliance["AWS-Foundational-Technical-Review"]] | length'
labels=(ftr_big ftr_small jq_length jq_ftr)
declare -A times peak
for l in "${labels[@]}"; do times[$l]=""; peak[$l]=0; done
record() { # label
  local t m
  read -r t m <"$work/time.$1"
  times[$1]+="$t "
  [ "$m" -gt "${peak[$1]}" ] && peak[$1]=$m
  return 0
}
for r in $(seq "$runs"); do
  fresh; measure ftr_big "$ftr" import "$big_file" --project "$proj"; record ftr_big
  grep -q "^  $big findings read" out.ftr_big || { echo "import.sh: ftr did not read $big findings:" >&2; cat out.ftr_big >&2; exit 1; }
  fresh; measure ftr_small "$ftr" import "$small_file" --project "$proj"; record ftr_small
  grep -q "^  $small findings read" out.ftr_small || { echo "import.sh: ftr did not read $small findings:" >&2; cat out.ftr_small >&2; exit 1; }
  measure jq_length jq length "$big_file"; record jq_length
  measure jq_ftr jq "$jq_ftr" "$big_file"; record jq_ftr
  for l in jq_length jq_ftr; do
    [ "$(cat "out.$l")" = "$big" ] || { echo "import.sh: jq ($l) counted $(cat "out.$l"), not $big" >&2; exit 1; }
  done
  read -r tf _ <time.ftr_big; read -r tl _ <time.jq_length; read -r tj _ <time.jq_ftr
  echo "   round $r: ftr $tf s, jq length $tl s, jq FTR ids $tj s"
done
echo "== what ftr reported for the large scan (last round)"
sed -n '1,2p' out.ftr_big
grep '^  note:' out.ftr_big || true

median() { printf '%s\n' $1 | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
python3 - "$big" "$small" "$big_bytes" "$small_bytes" "$runs" "$(nproc)" "$jq_ftr" \
  "$(median "${times[ftr_big]}")" "${peak[ftr_big]}" \
  "$(median "${times[ftr_small]}")" "${peak[ftr_small]}" \
  "$(median "${times[jq_length]}")" "${peak[jq_length]}" \
  "$(median "${times[jq_ftr]}")" "${peak[jq_ftr]}" <<'PY'
import sys
a = sys.argv[1:]
big, small, big_b, small_b, runs, cores = (int(x) for x in a[:6])
jq_expr = a[6]
fb_t, fb_m, fs_t, fs_m, jl_t, jl_m, jf_t, jf_m = (float(x) for x in a[7:])
mib = 1048576
print(f"== import of a Prowler OCSF scan: {big} findings, {big_b / mib:.1f} MiB "
      f"({big_b / big / 1024:.1f} KiB a finding); median of {runs} rounds, {cores} cores")
print(f"   (jq FTR ids is jq '{jq_expr}')")
print(f"   {'':40} {'wall':>9} {'peak RSS':>12}")
rows = [("ftr import", fb_t, fb_m), ("jq length", jl_t, jl_m), ("jq FTR ids", jf_t, jf_m)]
for name, t, m in rows:
    print(f"   {name:40} {t:7.2f} s {m / 1024:8.1f} MiB")
for name, t, m in rows[1:]:
    print(f"   {'ratio ftr / ' + name:40} {fb_t / t:7.3f}x {fb_m / m:10.4f}x")
print(f"== memory flatness of ftr import (the file grows {big_b / small_b:.1f}x)")
for n, b, t, m in ((small, small_b, fs_t, fs_m), (big, big_b, fb_t, fb_m)):
    print(f"   {f'ftr import, {n} findings, {b / mib:.1f} MiB':40} {t:7.2f} s {m / 1024:8.1f} MiB")
print(f"   {f'peak RSS ratio {big} / {small}':40} {fb_m / fs_m:7.2f}x (near 1 when the import streams)")
PY
