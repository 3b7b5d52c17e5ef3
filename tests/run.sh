#!/usr/bin/env bash
# The whole test suite, on any machine that has the Rust toolchain: installs what the tests
# drive besides cargo (git, tmux, unzip, python3 with openpyxl, faketime, man, markdownlint,
# LibreOffice to compute the filled workbooks), runs `cargo test`, then
# runs it again with the clock moved 400 days ahead, so no test depends on today's date.
# Extra arguments go to both `cargo test` runs (e.g. `tests/run.sh --test it export::`).
# A tool that cannot be installed stops the run with its name: nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }
die() { printf 'tests/run.sh: %s\n' "$*" >&2; exit 2; }

# Debian packages, by the command each provides.
declare -A package=([git]=git [tmux]=tmux [unzip]=unzip [python3]=python3 [faketime]=faketime [man]=man-db [npm]=npm
                    [soffice]=libreoffice-calc-nogui)
# openpyxl reads the spreadsheets back as Excel would; it goes beside markdownlint, and pip
# comes from Debian when the Python at hand has none.
openpyxl=openpyxl==3.1.5
missing=()
for cmd in git tmux unzip python3 faketime man soffice; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${package[$cmd]}")
done
# markdownlint runs on Node.js; only needed when it is not installed already.
tools="$PWD/target/test-tools"
export PATH="$tools/node_modules/.bin:$PATH"
if ! command -v markdownlint >/dev/null 2>&1 && ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi
export PYTHONPATH="$tools/python${PYTHONPATH:+:$PYTHONPATH}"
if ! python3 -c 'import openpyxl' >/dev/null 2>&1 && ! python3 -m pip --version >/dev/null 2>&1; then
  missing+=(python3-pip)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    die "the tests need ${missing[*]}; install them (apt-get install ${missing[*]}) or run this as root"
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "the tests need ${missing[*]}, and this machine has no apt-get to install them; install them by hand"
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v markdownlint >/dev/null 2>&1; then
  # 0.44 is the newest release that runs on Node.js 18 as well as 20.
  say "installing markdownlint-cli into $tools"
  npm install --silent --no-audit --no-fund --prefix "$tools" markdownlint-cli@0.44.0 >/dev/null
fi
for cmd in git tmux unzip python3 faketime man soffice markdownlint; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd is still missing after the install step"
done
if ! python3 -c 'import openpyxl' >/dev/null 2>&1; then
  say "installing $openpyxl into $tools/python"
  python3 -m pip install --quiet --disable-pip-version-check --target "$tools/python" "$openpyxl" ||
    die "could not install $openpyxl (python3 -m pip install $openpyxl); the spreadsheet tests need it"
  python3 -c 'import openpyxl' >/dev/null 2>&1 || die "openpyxl is still missing after the install step"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

say "cargo test"
cargo test --locked "$@" 2>&1 | tee -a "$log" || status=1

# The same suite 400 days from now: dates the tests pin must be the only dates they see.
# cargo runs each test binary under faketime (the compiler itself does not run under it);
# monotonic clocks stay real, so waits in the tests behave as before.
say "cargo test, with the clock 400 days ahead (faketime)"
# (Given with --config, not the environment, so that what the tests start runs once under it.)
host=$(rustc -vV | sed -n 's/^host: //p')
FAKETIME_DONT_FAKE_MONOTONIC=1 cargo test --locked \
  --config "target.$host.runner = ['faketime', '-f', '+400d']" "$@" 2>&1 | tee -a "$log" || status=1

awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
