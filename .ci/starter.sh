#!/usr/bin/env bash
# Builds and tests starter/ (a user's own project, not a module of the build) against the kit as it is now:
# installs the freshly built snapshot, runs the starter's tests (they must pass, and there must be some: the
# zero-tests trap) without a logging notice in their output, then runs its NaiveRetryDemo, which must FAIL with
# the kit's retry-hint message.
#
#   bash .ci/starter.sh                      (extra arguments go to every Maven call, e.g. -Dmaven.repo.local=DIR)
set -euo pipefail
cd "$(dirname "$0")/.."

# skipITs too: failsafe runs the standalone jar's integration tests in `install` otherwise
mvn -B -q -DskipTests -DskipITs install "$@"

cd starter
rm -rf target/surefire-reports
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mvn -B test "$@" 2>&1 | tee "$log"
# quiet by default: a project without a logger gets no "you have no logger" notice from SLF4J or Javalin
if grep -E 'SLF4J\((W|I)\)|Javalin: It looks like you|no-operation \(NOP\) logger' "$log"; then
  echo "starter: the test output carries a logging notice (above); it must stay quiet" >&2
  exit 1
fi
report=target/surefire-reports/TEST-com.example.ChatClientTest.xml
if ! grep -q 'tests="1"' "$report" || ! grep -q 'failures="0"' "$report" || ! grep -q 'errors="0"' "$report"; then
  echo "starter: ChatClientTest did not run exactly one passing test; its report:" >&2
  cat "$report" >&2
  exit 1
fi

# the red test: the build goes on (failure.ignore), then its report must show the kit's failure message
mvn -B test -Dtest=NaiveRetryDemo -Dmaven.test.failure.ignore=true "$@"
report=target/surefire-reports/TEST-com.example.NaiveRetryDemo.xml
expected='Expecting every retry to wait at least as long as the retry hint'
if ! grep -q 'failures="1"' "$report" || ! grep -q "$expected" "$report"; then
  echo "starter: NaiveRetryDemo must fail with \"$expected...\"; its report:" >&2
  cat "$report" >&2
  exit 1
fi
echo "starter: ChatClientTest passed; NaiveRetryDemo failed as it must, with the kit's message"
