#!/usr/bin/env bash
# Whole-process timing: `narvaro programme validate` (release build) beside `xmllint --noout --schema`
# on the same file. Needs hyperfine (apt-get install hyperfine). Target: ≤ 30 ms for narvaro.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "install hyperfine: apt-get install hyperfine" >&2; exit 1; }
swift build -c release --product narvaro >/dev/null
bin=.build/release/narvaro
file=${1:-programmes/hsp.xml}
hyperfine --warmup 5 --runs 50 -N \
  "$bin programme validate $file" \
  "xmllint --noout --schema programmes/schema/programme.xsd $file"
