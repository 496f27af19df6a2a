#!/usr/bin/env bash
# Prints the python that runs the SAM CLI, which has the SAM CLI's and SAM's translator's modules whatever python3 has
# (the Makefile runs scripts/rie_smoke.py, rie_bench.py and check_template.py with it); python3 when there is no such
# python.
set -uo pipefail
sam="$(readlink -f "$(command -v sam 2>/dev/null)" 2>/dev/null)"
if [[ -n $sam && -f $sam ]]; then
  shebang="$(head -n1 "$sam" 2>/dev/null | tr -d '\0')"
  if [[ $shebang == '#!'*python* ]]; then
    python="${shebang#\#!}"
    python="${python%% *}"
    if [[ -x $python ]]; then echo "$python"; exit 0; fi
  fi
  if [[ -x "$(dirname "$sam")/python" ]]; then echo "$(dirname "$sam")/python"; exit 0; fi
fi
echo python3
