#!/usr/bin/env bash
# Creates (or refreshes) the repository's Python virtualenv at .venv with the pinned clients the
# compatibility suite and the README walk-through use (compat/requirements.txt). Idempotent:
# a venv whose installed requirements match the file is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
requirements=compat/requirements.txt
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)

if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
echo "$want" > "$stamp"
