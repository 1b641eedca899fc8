#!/usr/bin/env bash
# Runs every baseline script twice: with Debian's OpenBLAS as it picks its kernels on its own, and with
# OPENBLAS_CORETYPE=SkylakeX (AVX-512 kernels forced; see README.md). Logs go to tools/python-baseline/logs/<UTC time or $RUN_NAME>/; summarize.py combines the runs.
# usage: tools/python-baseline/run_all.sh [extra args for the scripts, e.g. --quick]
#        MOBILENET_WEIGHTS=DIR to point mobilenet.py at dumped weights elsewhere.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3
LOGS="$HERE/logs/${RUN_NAME:-$(date -u +%Y%m%dT%H%MZ)}"
mkdir -p "$LOGS"
W=()
[[ -n "${MOBILENET_WEIGHTS:-}" ]] && W=(--weights "$MOBILENET_WEIGHTS")
for ct in default SkylakeX; do
  if [[ "$ct" == default ]]; then unset OPENBLAS_CORETYPE; else export OPENBLAS_CORETYPE="$ct"; fi
  for s in fusion mobilenet minilm; do
    [[ -f "$HERE/$s.py" ]] || continue
    args=("$@")
    [[ "$s" == mobilenet ]] && args+=("${W[@]}")
    echo "== $s.py, OpenBLAS core: $ct"
    "$PY" "$HERE/$s.py" "${args[@]}" 2>&1 | tee "$LOGS/$s-$ct.txt"
  done
done
