#!/usr/bin/env bash
# Runs README.md's walk-through as written, so the README is tested: the ```bash blocks of its
# "Walk-through" section, in order, in one shell with `set -euo pipefail`, against a freshly
# started server.
#
# The server is `$COGNATE_BIN` (default target/debug/cognate, built if missing) on a free
# loopback port, started in an empty working directory so that its data directory is
# `./cognate-data` exactly as in the README. The README's address 127.0.0.1:9229 is replaced by
# the free port's; nothing else is changed. The AWS CLI comes from .venv (scripts/venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

bin=${COGNATE_BIN:-$root/target/debug/cognate}
if [ ! -x "$bin" ]; then
  cargo build -p cognate
fi
bash scripts/venv.sh

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The walk-through: from the "## Walk-through" heading to the next "## " heading.
awk '
  /^## / { inside = ($0 ~ /^## Walk-through/) ; next }
  inside && /^```bash[[:space:]]*$/ { block = 1; next }
  inside && block && /^```[[:space:]]*$/ { block = 0; print ""; next }
  inside && block { print }
' README.md >"$work/walkthrough.sh"
if [ ! -s "$work/walkthrough.sh" ]; then
  echo "README.md has no \`\`\`bash blocks under '## Walk-through'" >&2
  exit 1
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i "s/127\.0\.0\.1:9229/127.0.0.1:$port/g" "$work/walkthrough.sh"
# Not in the README: check that the walk-through did what it says.
cat >>"$work/walkthrough.sh" <<'CHECK'
: "---- checking the walk-through's result"
test -n "$CLIENT_ID"
test "$(aws --endpoint-url "$COGNATE" cognito-idp list-users --user-pool-id "$POOL_ID" \
  --filter 'email = "alice@example.com"' --query 'Users[].Username' --output text)" = alice
test "$(aws --endpoint-url "$COGNATE" cognito-idp list-users-in-group --user-pool-id "$POOL_ID" \
  --group-name admins --query 'Users[].Username' --output text)" = alice
test "$(aws --endpoint-url "$COGNATE" cognito-idp describe-user-pool --user-pool-id "$POOL_ID" \
  --query UserPool.EstimatedNumberOfUsers --output text)" = 2
CHECK

cd "$work"
# Only what the README sets: no stray keys, endpoints or profiles from the caller's environment.
for var in $(env | grep -oE '^(AWS_[A-Z_]+|COGNATE_[A-Z_]+)' || true); do
  unset "$var"
done
export AWS_CONFIG_FILE=/dev/null
"$bin" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  if curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/server.log" >&2
    echo "cognate exited before it was ready" >&2
    exit 1
  fi
  sleep 0.1
done

echo "---- README walk-through against 127.0.0.1:$port"
status=0
PATH="$root/.venv/bin:$PATH" bash -euo pipefail -x "$work/walkthrough.sh" || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- server log" >&2
  tail -n 50 "$work/server.log" >&2
  echo "README walk-through FAILED (exit $status)" >&2
  exit "$status"
fi
echo "README walk-through passed"
