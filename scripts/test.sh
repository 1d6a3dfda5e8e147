#!/usr/bin/env bash
# Cognate's whole test suite, the one command CI runs (.ci/run calls exactly this):
#
#   1. PostgreSQL up (started if it is not running);
#   2. cargo fmt --check and cargo clippy -D warnings;
#   3. cargo test --workspace on SQLite, then again on PostgreSQL (COGNATE_TEST_DATABASE_URL);
#   4. the compatibility suite (compat/, pytest driving boto3 and the AWS CLI, installed into
#      .venv) against the cognate binary cargo just built, on SQLite, then on PostgreSQL;
#   5. the JavaScript compatibility suite (compat/js/*.test.mjs: the server's tokens verified by
#      aws-jwt-verify, and the real Cognito SDKs, amazon-cognito-identity-js and Amplify v6,
#      driven unchanged; installed with `npm ci` from the committed package-lock.json), run with
#      node's test runner against servers it starts itself, on SQLite, then on PostgreSQL;
#   6. README.md's walk-through, run as written (scripts/readme-walkthrough.sh).
#
# Every stage runs even when an earlier one failed, so one run shows every problem; the exit
# status is non-zero if anything failed. Logs of each stage are kept in target/test-logs/.
# The last line counts the tests that passed and failed (cargo's, pytest's and node's own counts,
# plus one for each other stage: PostgreSQL, fmt, clippy, the build, the venv, npm ci, the
# walk-through).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

PG_HOST=127.0.0.1
PG_PORT=5432
PG_TEST_URL="postgres://postgres@$PG_HOST:$PG_PORT/test"
PG_COMPAT_DB=cognate_compat
PG_COMPAT_URL="postgres://postgres@$PG_HOST:$PG_PORT/$PG_COMPAT_DB"
PG_COMPAT_JS_DB=cognate_compat_js
PG_COMPAT_JS_URL="postgres://postgres@$PG_HOST:$PG_PORT/$PG_COMPAT_JS_DB"
# Integration tests mostly wait on HTTP and the database; a few more threads than cores keeps
# both cores busy without crowding out password hashing.
TEST_THREADS=${COGNATE_TEST_THREADS:-4}

logs=$root/target/test-logs
mkdir -p "$logs"
passed=0
failed=0
last_failed=0
failures=()
started=$SECONDS

section() {
  printf '\n==================== %s ====================\n' "$*"
}

# count LOG KIND: adds the tests a runner reported in LOG to the totals, and sets last_failed.
count() {
  local log=$1 kind=$2 line p f
  case $kind in
    cargo)
      # test result: ok. 8 passed; 0 failed; 0 ignored; ...  (one line per test binary)
      read -r p f < <(awk '/^test result: / {
          for (i = 1; i <= NF; i++) {
            if ($(i + 1) ~ /^passed/) p += $i
            if ($(i + 1) ~ /^failed/) f += $i
          }
        } END { print p + 0, f + 0 }' "$log")
      ;;
    pytest)
      # 51 failed, 16 passed in 27.00s  (the last such line; "=" rules around it without -q)
      line=$(grep -E '(passed|failed|errors?|no tests ran).* in [0-9.]+s' "$log" | tail -n 1)
      read -r p f < <(awk '{
          for (i = 1; i <= NF; i++) {
            w = $(i + 1); gsub(/[^a-z]/, "", w)
            if (w == "passed") p += $i
            if (w == "failed" || w == "error" || w == "errors") f += $i
          }
        } END { print p + 0, f + 0 }' <<<"$line")
      ;;
    node)
      # node --test's closing summary: "# pass 9" / "# fail 1" (TAP, the default when piped) or
      # "ℹ pass 9" / "ℹ fail 1" (the spec reporter).
      read -r p f < <(awk '$2 == "pass" && $3 ~ /^[0-9]+$/ { p = $3 }
          $2 == "fail" && $3 ~ /^[0-9]+$/ { f = $3 }
          END { print p + 0, f + 0 }' "$log")
      ;;
  esac
  passed=$((passed + p))
  failed=$((failed + f))
  last_failed=$f
}

# stage NAME KIND CMD...: runs CMD with its output shown and logged. KIND is cargo, pytest or
# node (its tests are counted) or check (counts as one test).
stage() {
  local name=$1 kind=$2
  shift 2
  local log="$logs/$(tr ' /' '__' <<<"$name").log"
  local t0=$SECONDS
  section "$name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  last_failed=0
  case $kind in
    check) if [ "$rc" -eq 0 ]; then passed=$((passed + 1)); fi ;;
    *) count "$log" "$kind" ;;
  esac
  if [ "$rc" -ne 0 ]; then
    failures+=("$name (exit $rc)")
    # A stage that failed without a failed test (a build error, a crash) still counts once.
    if [ "$last_failed" -eq 0 ]; then failed=$((failed + 1)); fi
  fi
  printf -- '---- %s: %s in %ss\n' "$name" "$([ "$rc" -eq 0 ] && echo ok || echo FAILED)" "$((SECONDS - t0))"
  return 0
}

start_postgres() {
  if ! command -v pg_isready >/dev/null; then
    echo "pg_isready not found: PostgreSQL is not installed" >&2
    return 1
  fi
  if ! pg_isready -h "$PG_HOST" -p "$PG_PORT" -q; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || return 1
  fi
  for _ in $(seq 1 60); do
    if pg_isready -h "$PG_HOST" -p "$PG_PORT" -q; then
      break
    fi
    sleep 1
  done
  pg_isready -h "$PG_HOST" -p "$PG_PORT" || return 1
  # The integration tests share `test` (each test makes its own pools); the compatibility
  # suites get a fresh database each run, one for pytest's and one for node's.
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAtc \
    "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1 ||
    createdb -h "$PG_HOST" -p "$PG_PORT" -U postgres test || return 1
  local db
  for db in "$PG_COMPAT_DB" "$PG_COMPAT_JS_DB"; do
    dropdb -h "$PG_HOST" -p "$PG_PORT" -U postgres --if-exists "$db" &&
      createdb -h "$PG_HOST" -p "$PG_PORT" -U postgres "$db" || return 1
  done
}

pytest_compat() {
  env COGNATE_BIN="$root/target/debug/cognate" PYTHONDONTWRITEBYTECODE=1 "$@" \
    "$root/.venv/bin/python" -m pytest "$root/compat" -q -p no:cacheprovider
}

# compat/js's dependencies, exactly as package-lock.json pins them.
npm_ci() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node and npm are needed for compat/js (Node.js 20 or later)" >&2
    return 1
  fi
  node --version
  (cd "$root/compat/js" && npm ci --no-audit --no-fund)
}

# The JS tests start their own servers (the binary cargo built, in --dev mode, on free ports);
# node runs each file in a process of its own.
node_compat() {
  env COGNATE_BIN="$root/target/debug/cognate" "$@" \
    node --test "$root"/compat/js/*.test.mjs
}

echo "Cognate test suite: $(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(nproc) cores, $(cargo --version)"

stage "PostgreSQL" check start_postgres
stage "cargo fmt" check cargo fmt --all -- --check
stage "cargo clippy" check cargo clippy --workspace --all-targets -- -D warnings
# One build for everything after it: the test binaries and target/debug/cognate.
stage "cargo build (tests)" check cargo test --workspace --no-run
stage "cargo test (SQLite)" cargo cargo test --workspace -- --test-threads="$TEST_THREADS"
stage "cargo test (PostgreSQL)" cargo env COGNATE_TEST_DATABASE_URL="$PG_TEST_URL" \
  cargo test --workspace -- --test-threads="$TEST_THREADS"
stage "Python venv (.venv)" check bash scripts/venv.sh
stage "compat (SQLite)" pytest pytest_compat
stage "compat (PostgreSQL)" pytest pytest_compat COMPAT_DATABASE_URL="$PG_COMPAT_URL"
stage "npm ci (compat/js)" check npm_ci
stage "compat JS (SQLite)" node node_compat
stage "compat JS (PostgreSQL)" node node_compat COMPAT_DATABASE_URL="$PG_COMPAT_JS_URL"
stage "README walk-through" check env COGNATE_BIN="$root/target/debug/cognate" bash scripts/readme-walkthrough.sh

section "summary ($((SECONDS - started))s)"
if [ "${#failures[@]}" -gt 0 ]; then
  printf 'failed: %s\n' "${failures[@]}"
fi
echo "total: $passed passed, $failed failed"
[ "${#failures[@]}" -eq 0 ]
