#!/usr/bin/env bash
# Runs the benchmark end to end, from any directory:
#   - builds Cognate and the bench in release mode,
#   - installs moto's server into bench/.venv and cognito-local into bench/node/node_modules
#     (once; both from the package registries, versions pinned here and in package-lock.json),
#   - runs target/release/cognate-bench, which starts each server on a free loopback port, sets
#     up a pool, runs the four flows with 8 concurrent clients, stops each server by its PID,
#     and prints the table (also written to bench/results/latest.md).
# Extra arguments go to cognate-bench (try `bash bench/run.sh --help`), e.g.
#   bash bench/run.sh --servers cognate --duration 5
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MOTO_VERSION=${MOTO_VERSION:-5.2.5}

echo "== building cognate and cognate-bench (release)" >&2
cargo build --release -p cognate -p cognate-bench >&2

if [ ! -x bench/.venv/bin/moto_server ]; then
  echo "== installing moto[server] into bench/.venv" >&2
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet "moto[server]==${MOTO_VERSION}" >&2
fi

if [ ! -f bench/node/node_modules/cognito-local/lib/bin/start.js ]; then
  echo "== installing cognito-local into bench/node" >&2
  (cd bench/node && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

mkdir -p bench/results
exec "$ROOT/target/release/cognate-bench" \
  --cognate-bin "$ROOT/target/release/cognate" \
  --moto-server "$ROOT/bench/.venv/bin/moto_server" \
  --cognito-local "$ROOT/bench/node/node_modules/cognito-local/lib/bin/start.js" \
  --out "$ROOT/bench/results/latest.md" \
  "$@"
