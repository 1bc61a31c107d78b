#!/usr/bin/env bash
# Runs the samples' tests against the standalone fake server, the way a CI job does: build the jar if it is
# missing (or older than the server's sources), start the server in the background on a free port, wait until it is healthy, run the tests in
# remote mode (LLMFAULT_SERVER_URL), stop the server whatever happens, and exit with the tests' status.
#
#   bash samples/ci/run-standalone.sh            (from anywhere; extra arguments go to Maven)
set -euo pipefail
cd "$(dirname "$0")/../.."

# tag::ci-script[]
jar=fake-server/target/llmfault-server.jar
if [[ ! -f "$jar" || -n "$(find pom.xml fake-server/pom.xml fake-server/src -newer "$jar" -print -quit)" ]]; then
  mvn -B -q -DskipTests package -pl fake-server -am
fi

work=$(mktemp -d)
java -jar "$jar" --port 0 --port-file "$work/port" --alias mistral=/mistral/v1 > "$work/server.log" 2>&1 &
server=$!
stop_server() {
  kill "$server" 2> /dev/null || true   # SIGTERM: the server stops cleanly
  wait "$server" 2> /dev/null || true
  rm -rf "$work"
}
trap stop_server EXIT

deadline=$((SECONDS + 60))
until [[ -s "$work/port" ]] && curl -fsS "http://127.0.0.1:$(cat "$work/port")/__admin/health" > /dev/null 2>&1; do
  if ! kill -0 "$server" 2> /dev/null || (( SECONDS >= deadline )); then
    echo "the fake LLM server did not come up within 60 s; its log:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.2
done
export LLMFAULT_SERVER_URL="http://127.0.0.1:$(cat "$work/port")"
echo "fake LLM server up at $LLMFAULT_SERVER_URL"

# Every sample test runs remotely, the Spring AI module's too (the server modules' own tests are not selected:
# -am only builds them).
status=0
mvn -B -pl samples,samples/spring-ai -am test -Dtest='dev.llmfault.samples.**' -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?

# The resilience reports: samples/target/llmfault-report/index.html and the Spring AI module's; on GitHub Actions
# their scorecards go on the run's summary page too.
for report in samples/target/llmfault-report samples/spring-ai/target/llmfault-report; do
  if [[ -n "${GITHUB_STEP_SUMMARY:-}" && -f "$report/summary.md" ]]; then
    cat "$report/summary.md" >> "$GITHUB_STEP_SUMMARY"
  fi
done
exit "$status"
# end::ci-script[]
