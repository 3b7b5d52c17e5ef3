#!/usr/bin/env bash
# Export benchmark: ftr export against Info-ZIP `zip -r -q` over the same evidence, measured
# in the same run. Prints wall times, their ratio, archive sizes and peak memory.
#
#   bench/export.sh              # the full set: 160 MB screenshots, 60 MB PDFs, 160 MB logs
#   bench/export.sh 16 6 16      # a tenth of it, for a quick look
#   RUNS=5 bench/export.sh       # more rounds (the median is reported)
#
# Needs python3, zip and GNU time (installed with apt-get when missing). Leaves nothing behind.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v zip >/dev/null || need+=(zip)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

runs=${RUNS:-3}
cargo build --release --quiet
ftr="$PWD/target/release/ftr"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
echo "== generating evidence (${1:-160} MB screenshots, ${2:-60} MB PDF-like, ${3:-160} MB JSON logs)"
python3 "$OLDPWD/bench/gen_evidence.py" evidence "${1:-160}" "${2:-60}" "${3:-160}"
files=$(find evidence -type f | wc -l)
bytes=$(du -sb evidence | cut -f1)
echo "   $files files, $((bytes / 1048576)) MiB"

export FTR_DATA_DIR="$work/.data"
"$ftr" new --company Bench --product Export --model partner-hosted >/dev/null
# Spread the files over the controls, a few dozen per command.
mapfile -t ids < <("$ftr" checklists --json | python3 -c \
  'import json,sys; d=json.load(sys.stdin); print("\n".join(next(c for c in d["checklists"] if c["id"]=="partner-hosted")["control_ids"]))')
mapfile -t all < <(find evidence -type f | sort)
i=0
for f in "${all[@]}"; do
  per[$((i % ${#ids[@]}))]+=" --evidence $f"
  i=$((i + 1))
done
for k in "${!ids[@]}"; do
  # shellcheck disable=SC2086
  [ -n "${per[$k]:-}" ] && "$ftr" answer "${ids[$k]}" --status met \
    --response "Benchmark evidence for ${ids[$k]}, attached by the export benchmark." ${per[$k]} >/dev/null
done

cat evidence/*/* > /dev/null   # warm the page cache for both tools

measure() { # label, command...: prints "seconds maxrss_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$label" "$@" >/dev/null 2>&1
  cat "$work/time.$label"
}

zt=(); ft=(); zm=0; fm=0
for r in $(seq "$runs"); do
  rm -f info.zip bundle.zip
  read -r t m < <(measure zip zip -r -q info.zip evidence)
  zt+=("$t"); [ "$m" -gt "$zm" ] && zm=$m
  read -r t m < <(measure ftr "$ftr" export --allow-incomplete --out bundle.zip)
  ft+=("$t"); [ "$m" -gt "$fm" ] && fm=$m
  echo "   round $r: zip ${zt[-1]} s, ftr ${ft[-1]} s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
zmed=$(median "${zt[@]}"); fmed=$(median "${ft[@]}")
zsize=$(stat -c %s info.zip); fsize=$(stat -c %s bundle.zip)
unzip -tq bundle.zip >/dev/null
python3 - "$zmed" "$fmed" "$zsize" "$fsize" "$zm" "$fm" "$(nproc)" <<'PY'
import sys
zt, ft, zs, fs, zm, fm, cores = (float(x) for x in sys.argv[1:])
print(f"== export of the same evidence ({int(cores)} cores), median of rounds")
print(f"   Info-ZIP zip -r -q : {zt:6.2f} s  {zs/1048576:8.1f} MiB  peak {zm/1024:6.1f} MiB")
print(f"   ftr export         : {ft:6.2f} s  {fs/1048576:8.1f} MiB  peak {fm/1024:6.1f} MiB")
print(f"   time ratio ftr/zip : {ft/zt:.2f}x  (target at most 0.30x)")
print(f"   size ratio ftr/zip : {fs/zs:.3f}x (target at most 1.05x)")
print(f"   peak memory        : {fm/1024:.1f} MiB (target under 64 MiB)")
PY
