#!/usr/bin/env bash
# Benchmarks LLM Fault Kit against WireMock 3.13.2 and MockServer 7.6.0 side by side, on this machine, in one
# run (about 10 minutes on 2 cores), writes benchmarks/RESULTS.md and ends with one summary line:
#   bench: throughput_vs_wiremock=R1 throughput_vs_mockserver=R2 p99_ms_16=P coldstart_vs_wiremock=R3 ...
#          vs_floor_16=... streams_2000_gap_p99_ms=... keyed_query_us=... coldstart_cds_vs_wiremock=... rss_mb_default=...
# Ours runs through the distribution's launcher (fake-server/target/llmfault-server/bin/llmfault-server) unless a
# figure says `java -jar`; a bare Javalin app (FloorServer) is the fourth server of the load phase.
# All traffic stays on 127.0.0.1; every load run is bounded in time.
# Knobs: BENCH_SECONDS (per load cell and round, default 5), BENCH_ROUNDS (default 2), BENCH_WARMUP (default 12), BENCH_COLD_ROUNDS (default 5).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v wrk >/dev/null 2>&1; then
  echo "[setup] installing wrk from the system's packages"
  sudo_cmd=""
  if [ "$(id -u)" != "0" ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >/dev/null
  $sudo_cmd apt-get install -y -qq wrk >/dev/null
fi

# 2,000 streams and 500 slow answers are held at once: the client and the server each need a descriptor per connection.
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "[setup] building the server jar, its distribution and the benchmarks (profile bench)"
mvn -B -q -Dstyle.color=never -Pbench -DskipTests package -pl fake-server,benchmarks -am

work="$root/benchmarks/target/bench-work"
rm -rf "$work"
mkdir -p "$work"

# The harness JVM only orchestrates and probes; every server under test runs in its own JVM with default flags.
exec timeout 1800 java -cp "$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/runtime.classpath")" \
  dev.llmfault.bench.BenchMain \
  work="$work" \
  results="$root/benchmarks/RESULTS.md" \
  lua="$root/benchmarks/wrk/chat.lua" \
  ours.jar="$root/fake-server/target/llmfault-server.jar" \
  launcher="$root/fake-server/target/llmfault-server/bin/llmfault-server" \
  wiremock.jar="$root/benchmarks/target/rivals/wiremock-standalone.jar" \
  mockserver.jar="$root/benchmarks/target/rivals/mockserver-netty.jar" \
  classes="$root/benchmarks/target/classes" \
  cp.ours="$(cat "$root/benchmarks/target/runtime.classpath")" \
  cp.jmh="$(cat "$root/benchmarks/target/jmh.classpath")" \
  seconds="${BENCH_SECONDS:-5}" \
  rounds="${BENCH_ROUNDS:-2}" \
  warmup="${BENCH_WARMUP:-12}" \
  coldRounds="${BENCH_COLD_ROUNDS:-5}"
