#!/usr/bin/env bash
# Service benchmark: durable submissions per second and their latency for
# `hoso serve`, on SQLite and on PostgreSQL, in the same run.
#
#   scripts/bench-server.sh
#   DURATION=30 WARMUP=5 CONNECTIONS=64 BACKENDS=sqlite scripts/bench-server.sh
#
# Environment (defaults in brackets):
#   DURATION     measured seconds per backend [10]
#   WARMUP       warm-up seconds, not counted [2]
#   CONNECTIONS  keep-alive connections, one request at a time each [32]
#   BACKENDS     which, in order: sqlite, postgres [sqlite postgres]
#   PROCEDURES   all, or a comma-separated list of example ids [all]
#   LOAD_THREADS threads of the load generator [1]
#   PG_ADMIN_URL a PostgreSQL server to create the fresh database on
#                [postgres://postgres@127.0.0.1:5432/test]
#
# Builds `hoso` and the load generator (crates/hoso-server/examples/load.rs)
# in release mode. For each backend it starts `target/release/hoso serve` on
# a free port with its own temporary data folder (SQLite: hoso.db in it;
# PostgreSQL: a fresh database, dropped afterwards), waits for /readyz, runs
# the load generator against it (the committed signed examples with their
# attachments, multipart), stops the server with SIGTERM and checks that it
# exits. A 201 is a dossier committed to the database (the service answers
# only after the commit), so 201s per second are durable submissions per
# second. The load generator runs on the same machine and takes CPU from
# the server. Prints the machine, the command and a Markdown table (also
# saved under target/bench-server/). Figures are reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-32}
BACKENDS=${BACKENDS:-sqlite postgres}
PROCEDURES=${PROCEDURES:-all}
LOAD_THREADS=${LOAD_THREADS:-1}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}

missing=()
command -v jq >/dev/null || missing+=(jq)
command -v curl >/dev/null || missing+=(curl)
[[ " $BACKENDS " == *" postgres "* ]] && ! command -v psql >/dev/null && missing+=(postgresql-client)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

target=${CARGO_TARGET_DIR:-target}
out=$target/bench-server
mkdir -p "$out"

echo "building (release)..." >&2
cargo build --release --locked -p hoso-cli --bin hoso >&2
cargo build --release --locked -p hoso-server --example load >&2
hoso=$target/release/hoso
load=$target/release/examples/load

free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  exit 1
}

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Busy and total ticks of the whole machine.
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
hz=$(getconf CLK_TCK)

server_pid=
data_dir=
pg_db=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  [[ -n $data_dir ]] && rm -rf "$data_dir"
  if [[ -n $pg_db ]]; then
    psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  server_pid= data_dir= pg_db=
}
trap cleanup EXIT

: >"$out/rows.md"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for backend in $BACKENDS; do
  data_dir=$(mktemp -d "${TMPDIR:-/tmp}/hoso-bench-server.XXXXXX")
  database=()
  case $backend in
    sqlite) ;;
    postgres)
      pg_db=hoso_bench_$$_$RANDOM
      psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
      database=(--database "${PG_ADMIN_URL%/*}/$pg_db")
      ;;
    *)
      echo "unknown backend $backend (sqlite or postgres)" >&2
      exit 2
      ;;
  esac
  port=$(free_port)
  "$hoso" serve --listen "127.0.0.1:$port" --data-dir "$data_dir" "${database[@]}" 2>"$data_dir/server.log" &
  server_pid=$!
  for _ in $(seq 600); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || {
      cat "$data_dir/server.log" >&2
      echo "the server stopped before it was ready" >&2
      exit 1
    }
    sleep 0.1
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz"

  echo "measuring $backend: $CONNECTIONS connections, ${WARMUP} s warm-up + ${DURATION} s..." >&2
  server_before=$(cpu_ticks "$server_pid")
  read -r busy_before total_before < <(machine_ticks)
  started=$(date +%s.%N)
  "$load" --url "http://127.0.0.1:$port" --connections "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" \
    --procedures "$PROCEDURES" --threads "$LOAD_THREADS" --json >"$out/$backend.json"
  server_after=$(cpu_ticks "$server_pid")
  read -r busy_after total_after < <(machine_ticks)
  ended=$(date +%s.%N)

  kill -TERM "$server_pid"
  stopped=no
  for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || {
      stopped=yes
      break
    }
    sleep 0.1
  done
  status=0
  wait "$server_pid" || status=$?
  [[ $stopped == yes ]] || echo "warning: $backend: the server took more than 10 s to stop after SIGTERM" >&2
  ((status == 0)) || echo "warning: $backend: the server exited with status $status after SIGTERM" >&2
  server_pid=
  cp "$data_dir/server.log" "$out/$backend-server.log"
  # What the server logged besides the submissions: errors show here.
  grep -v '"event":"submitted"' "$out/$backend-server.log" >"$out/$backend-server-events.log" || true
  log_errors=$(grep -cvE '"event":"(submitted|listening|shutting_down)"' "$out/$backend-server.log" || true)
  cleanup

  # Both CPU figures cover the whole run (warm-up included).
  cores=$(awk -v a="$server_before" -v b="$server_after" -v hz="$hz" -v t0="$started" -v t1="$ended" \
    'BEGIN { printf "%.2f", (b - a) / hz / (t1 - t0) }')
  busy=$(awk -v b0="$busy_before" -v b1="$busy_after" -v t0="$total_before" -v t1="$total_after" \
    'BEGIN { printf "%.0f%%", 100 * (b1 - b0) / (t1 - t0) }')
  jq -r --arg backend "$backend" --arg cores "$cores" --arg busy "$busy" --arg log_errors "$log_errors" '
    def ms: if . >= 100 then "\(. | round) ms" else "\(. * 100 | round / 100) ms" end;
    "| \($backend) | \(.connections) | \(.submissions_per_s) | \(.latency_ms.p50 | ms) | \(.latency_ms.p90 | ms) | \(.latency_ms.p99 | ms) | \(.latency_ms.max | ms) | "
    + (if .error_count == 0 then "0" else "\(.error_count) (\(.errors | to_entries | map("\(.key): \(.value)") | join(", ")))" end)
    + " | \(.warmup_errors) | \($log_errors) | \($cores) | \($busy) |"' "$out/$backend.json" >>"$out/rows.md"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
command="DURATION=$DURATION WARMUP=$WARMUP CONNECTIONS=$CONNECTIONS BACKENDS=\"$BACKENDS\" PROCEDURES=$PROCEDURES LOAD_THREADS=$LOAD_THREADS scripts/bench-server.sh"
{
  echo "- Machine: $(nproc) CPUs, $model, $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before the run: $load_before, after: $load_after"
  toolchain="$(rustc --version); SQLite (bundled with sqlx)"
  if [[ " $BACKENDS " == *" postgres "* ]]; then
    toolchain+="; PostgreSQL $(psql "$PG_ADMIN_URL" -Atc 'SHOW server_version' 2>/dev/null || echo '?')"
    toolchain+=" (synchronous_commit=$(psql "$PG_ADMIN_URL" -Atc 'SHOW synchronous_commit' 2>/dev/null || echo '?'))"
  fi
  echo "- Toolchain: $toolchain"
  echo "- Command: \`$command\`"
  echo
  echo "| backend | connections | durable submissions/s | p50 | p90 | p99 | max | errors | warm-up errors | server log errors | server CPU (cores) | machine busy |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  cat "$out/rows.md"
  echo
  echo "Each connection sends one multipart submission at a time (a committed signed example with its attachments, in turn);"
  echo "submissions/s counts the 201 answers completed in the ${DURATION} s after a ${WARMUP} s warm-up. Latency: from writing"
  echo "the request to reading the whole response, all answers in the measured window. Errors: any answer but 201, or a"
  echo "broken connection, in the window; warm-up errors are the same before it. Server log errors: lines the server logged"
  echo "other than submissions, start and stop (per-backend logs in $out/). Server CPU: the server process's CPU time over"
  echo "the whole load run (warm-up included) per second; machine busy: all CPUs, load generator and PostgreSQL included."
} | tee "$out/table.md"
