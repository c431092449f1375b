#!/usr/bin/env bash
# `make bench`: the figures the issues ask for, on this machine.
#   1b. CSV import rows/s and peak RSS at 10k and 100k, and the customers page at that size;
#   1. renewal throughput over 10k and 100k due subscriptions (SQLite; PostgreSQL when
#      TEST_POSTGRES_URL is set), peak RSS, and instant-recovery latency;
#   2. first load of the console and the portal (HTML + CSS + JS + wasm, brotli) and the
#      time until the portal settings page is interactive (hydrated), in Chromium, and
#      the time to move between two portal pages (in place, and as a full load);
#   3. signed-in portal overview SSR throughput with wrk, against a static file of the
#      same bytes from the same server; the server's idle RSS;
#   4. hardening (issue 16): sign-in link answer times for known vs unknown addresses, and
#      /readyz p99 during a storm of 200 concurrent failed staff sign-ins, for this build and
#      side by side for the baseline commit BENCH_BASELINE (default: the last commit before
#      the hardening), built once into target/bench-baseline.
# Traffic goes only to 127.0.0.1; every load is bounded in time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT=${BENCH_PORT:-3017}
BASE="http://127.0.0.1:$PORT"
WORK="$ROOT/target/bench"
BIN="${BENCH_BIN:-$ROOT/target/release/dunwell}"
export DUNWELL_ADMIN_PASSWORD=bench-owner-password

command -v wrk >/dev/null || { echo "[bench] installing wrk"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

hardening() { # label, binary, working directory (where its Leptos.toml is)
  local port=$((PORT + 1)) dir="$WORK/hardening-$1"
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$3" && DATABASE_URL="sqlite://$dir/dunwell.db" DUNWELL_DEMO=1 DUNWELL_LISTEN="127.0.0.1:$port" \
    PUBLIC_URL="http://127.0.0.1:$port" RUST_LOG=error exec "$2" serve >> "$dir/server.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 240); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
  local key
  key=$(grep -o '/portal/[A-Za-z0-9_-]*' "$dir/server.log" | head -1 | cut -d/ -f3)
  echo "-- $1"
  node "$ROOT/scripts/bench-hardening.mjs" "http://127.0.0.1:$port" "$key" || echo "hardening bench failed"
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
}

if [ "${BENCH_ONLY:-}" = hardening ]; then
  mkdir -p "$WORK"
  BASELINE=${BENCH_BASELINE:-61c58f2}
  if [ ! -x "$ROOT/target/bench-baseline/release/dunwell" ] || [ "$(cat "$ROOT/target/bench-baseline/rev" 2>/dev/null)" != "$BASELINE" ]; then
    echo "[bench] building the baseline $BASELINE (server only) into target/bench-baseline"
    rm -rf "$ROOT/target/bench-baseline-src"
    git -C "$ROOT" worktree prune
    git -C "$ROOT" worktree add -f --detach "$ROOT/target/bench-baseline-src" "$BASELINE" >/dev/null
    (cd "$ROOT/target/bench-baseline-src" && CARGO_TARGET_DIR="$ROOT/target/bench-baseline" cargo build -q --release -p dunwell)
    echo "$BASELINE" > "$ROOT/target/bench-baseline/rev"
  fi
  echo "== 4. Hardening, side by side (200 concurrent failed sign-ins; link request timing)"
  hardening "baseline $BASELINE" "$ROOT/target/bench-baseline/release/dunwell" "$ROOT/target/bench-baseline-src"
  hardening "this build" "$BIN" "$ROOT"
  exit 0
fi

# BENCH_ONLY=web skips part 1 (the renewal bench builds the server again in its own
# target dir); BENCH_ONLY=renewals stops after it; BENCH_ONLY=import and BENCH_ONLY=api run
# only parts 1b and 1c; BENCH_ONLY=webhooks only part 1d; BENCH_ONLY=hardening only part 4.
if [ "${BENCH_ONLY:-}" != web ] && [ "${BENCH_ONLY:-}" != import ] && [ "${BENCH_ONLY:-}" != api ] && [ "${BENCH_ONLY:-}" != webhooks ]; then
  echo "== 1. Renewals (cargo bench -p dunwell --bench renewals)"
  # Its own target dir: cargo-leptos builds the release server with other RUSTFLAGS
  # (--cfg erase_components), and sharing target/release would rebuild both each time.
  CARGO_TARGET_DIR="$ROOT/target/bench-build" cargo bench -q -p dunwell --bench renewals -- ${BENCH_COUNTS:-10000 100000}
fi
[ "${BENCH_ONLY:-}" = renewals ] && exit 0
if [ "${BENCH_ONLY:-}" != web ] && [ "${BENCH_ONLY:-}" != api ] && [ "${BENCH_ONLY:-}" != webhooks ]; then
  echo
  echo "== 1b. CSV import and the customers page (cargo bench -p dunwell --bench import)"
  echo "   targets: ≥ 10,000 rows/s SQLite, ≥ 5,000 PostgreSQL; peak RSS ≤ 150 MB, flat 10k→100k; search p99 < 20 ms at 100k"
  CARGO_TARGET_DIR="$ROOT/target/bench-build" cargo bench -q -p dunwell --bench import -- ${IMPORT_COUNTS:-10000 100000}
fi
[ "${BENCH_ONLY:-}" = import ] && exit 0
if [ "${BENCH_ONLY:-}" != web ] && [ "${BENCH_ONLY:-}" != webhooks ]; then
  echo
  echo "== 1c. Merchant API: customer + subscription (cargo bench -p dunwell --bench api)"
  echo "   target: ≥ 2,000 requests/s with p99 ≤ 20 ms on SQLite"
  CARGO_TARGET_DIR="$ROOT/target/bench-build" cargo bench -q -p dunwell --bench api -- ${API_OPS:-2000} ${API_CLIENTS:-16}
fi
[ "${BENCH_ONLY:-}" = api ] && exit 0
if [ "${BENCH_ONLY:-}" != web ]; then
  echo
  echo "== 1d. Webhook deliveries to a local receiver (cargo bench -p dunwell --bench webhooks)"
  echo "   target: ≥ 1,000 deliveries/s; a backlog of 100,000 events drains with flat memory"
  CARGO_TARGET_DIR="$ROOT/target/bench-build" cargo bench -q -p dunwell --bench webhooks -- ${WEBHOOK_EVENTS:-100000}
fi
[ "${BENCH_ONLY:-}" = webhooks ] && exit 0

echo
echo "== 2/3. Server on $BASE with the demo data"
rm -rf "$WORK" && mkdir -p "$WORK"
start_server() {
  DATABASE_URL="sqlite://$WORK/dunwell.db" DUNWELL_DEMO=1 DUNWELL_LISTEN="127.0.0.1:$PORT" PUBLIC_URL="$BASE" \
    RUST_LOG=warn "$BIN" serve >> "$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 120); do curl -fs "$BASE/readyz" >/dev/null 2>&1 && break; sleep 0.5; done
}
start_server
trap 'kill $SERVER 2>/dev/null || true' EXIT
KEY=$(grep -o '/portal/[A-Za-z0-9_-]*' "$WORK/server.log" | head -1 | cut -d/ -f3)
sleep 3
echo "idle RSS: $(( $(ps -o rss= -p $SERVER) / 1024 )) MB"

# Sum of brotli-compressed bytes of a page and the /pkg assets it references.
weight() {
  local url=$1 cookie=${2:-}
  local html="$WORK/page.html"
  curl -fs -H "Accept-Encoding: br" ${cookie:+-H "Cookie: $cookie"} -o "$WORK/page.br" "$url"
  curl -fs ${cookie:+-H "Cookie: $cookie"} -o "$html" "$url"
  local total
  total=$(stat -c %s "$WORK/page.br")
  for asset in $(grep -o '/pkg/[^"]*' "$html" | sort -u); do
    total=$(( total + $(curl -fs -H "Accept-Encoding: br" -o /dev/null -w '%{size_download}' "$BASE$asset") ))
  done
  echo "$total"
}

form_post() { # path, data, cookie-jar
  curl -fs -o /dev/null -w '%{http_code}' -c "$3" -b "$3" -H "Origin: $BASE" \
    -H "Content-Type: application/x-www-form-urlencoded" --data "$2" "$BASE$1"
}

# Console: sign in as the demo owner.
JAR="$WORK/console.jar"
form_post /api/console/sign_in "email=owner%40acme.test&password=$DUNWELL_ADMIN_PASSWORD" "$JAR" >/dev/null
STAFF=$(awk '$6=="dw_staff"{print "dw_staff="$7; exit}' "$JAR")
echo "console first load (settings page, brotli): $(( $(weight "$BASE/admin/settings/portal" "$STAFF") / 1024 )) KB (target ≤ 350 KB)"

# Portal: Giulia signs in by magic link, delivered by `dunwell outbox list` (without SMTP,
# the listing mints the link's token; the link is made just after the answer).
PJAR="$WORK/portal.jar"
form_post /api/portal/request_link "key=$KEY&email=giulia%40example.com" "$PJAR" >/dev/null
sleep 0.5
TOKEN=$(DATABASE_URL="sqlite://$WORK/dunwell.db" "$BIN" outbox list | grep '"magic_link"' | grep -o 'token=[A-Za-z0-9_-]*' | grep -v 'token=token-minted' | tail -1 | cut -d= -f2)
form_post /api/portal/sign_in "key=$KEY&token=$TOKEN" "$PJAR" >/dev/null
CUST=$(awk '$6=="dw_customer"{print "dw_customer="$7; exit}' "$PJAR")
echo "portal first load (sign-in page, brotli): $(( $(weight "$BASE/portal/$KEY/login") / 1024 )) KB (target ≤ 250 KB)"
echo "portal first load (signed-in overview, brotli): $(( $(weight "$BASE/portal/$KEY" "$CUST") / 1024 )) KB (target ≤ 250 KB)"

if [ -d end2end/node_modules/playwright-core ] || [ -d end2end/node_modules/@playwright/test ]; then
  (cd end2end && BASE_URL="$BASE" STAFF_COOKIE="$STAFF" node bench-interactive.mjs) || echo "interactive timing failed"
  (cd end2end && BASE_URL="$BASE" PORTAL_PATH="/portal/$KEY" CUSTOMER_COOKIE="$CUST" node bench-navigation.mjs) || echo "navigation timing failed"
fi

echo
echo "== 3. SSR throughput (wrk -t1 -c32 -d10s, loopback)"
curl -fs -H "Cookie: $CUST" -o "$ROOT/target/site/pkg/bench-static.html" "$BASE/portal/$KEY"
echo "overview page: $(stat -c %s "$ROOT/target/site/pkg/bench-static.html") bytes"
# The server reads /pkg into memory when it starts: start it again to hold this file too.
kill $SERVER; wait $SERVER 2>/dev/null || true
start_server
# A 3 s warm-up, not counted: the freshly started server's caches, pool and allocator.
wrk -t1 -c32 -d3s -H "Cookie: $CUST" "$BASE/portal/$KEY" >/dev/null
wrk -t1 -c32 -d10s --latency -H "Cookie: $CUST" "$BASE/portal/$KEY" | tee "$WORK/wrk-ssr.txt" | grep -E "Requests/sec|99%|Non-2xx" || true
wrk -t1 -c32 -d10s --latency "$BASE/pkg/bench-static.html" | tee "$WORK/wrk-static.txt" | grep -E "Requests/sec|99%" || true
rm -f "$ROOT/target/site/pkg/bench-static.html"
ssr=$(awk '/Requests\/sec/{print $2}' "$WORK/wrk-ssr.txt"); stat=$(awk '/Requests\/sec/{print $2}' "$WORK/wrk-static.txt")
echo "SSR / static ratio: $(awk -v a="$ssr" -v b="$stat" 'BEGIN{printf "%.2f", a/b}') (target ≥ 3,000 SSR requests/s)"
echo "server RSS after load: $(( $(ps -o rss= -p $SERVER) / 1024 )) MB"
