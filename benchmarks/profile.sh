#!/usr/bin/env bash
# Profiles our standalone server under wrk load (16 keep-alive clients, success path by default) with JFR and
# prints the top frames, our methods, allocations and GC pauses. Run benchmarks/run.sh once first (it builds).
#   bash benchmarks/profile.sh [seconds=20] [connections=16] [ratelimit]
# The server runs with its default JVM flags; JFR is started from outside with jcmd. JAR=... profiles another build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-20}"; conns="${2:-16}"; fault="${3:-}"
work="$root/benchmarks/target/profile"
mkdir -p "$work"
cp_bench="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/runtime.classpath")"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'scenarios:\n  - fault: RATE_LIMITED\n    provider: OPENAI\n    match:\n      headers:\n        x-bench: ratelimit\n' > "$work/ours.yaml"
(cd "$work" && exec java -jar "${JAR:-$root/fake-server/target/llmfault-server.jar}" --port "$port" --config "$work/ours.yaml" > "$work/server.log" 2>&1) &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do grep -q ready "$work/server.log" 2>/dev/null && break; sleep 0.05; done
server_pid=$pid
BENCH_FAULT="$fault" wrk -t2 -c"$conns" -d8s -s "$root/benchmarks/wrk/chat.lua" "http://127.0.0.1:$port/v1/chat/completions" > /dev/null
jcmd "$server_pid" JFR.start name=bench settings=profile filename="$work/ours.jfr" > /dev/null
BENCH_FAULT="$fault" wrk -t2 -c"$conns" -d"${seconds}s" --latency -s "$root/benchmarks/wrk/chat.lua" "http://127.0.0.1:$port/v1/chat/completions" | grep -E "Requests/sec|99%|50%|WRKJSON"
jcmd "$server_pid" JFR.stop name=bench > /dev/null
grep -E "VmRSS" "/proc/$server_pid/status"
java -cp "$cp_bench" dev.llmfault.bench.ProfileMain "$work/ours.jfr" "${TOP:-25}"
