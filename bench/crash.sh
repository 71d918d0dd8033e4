#!/usr/bin/env bash
# The long form of CrashIT (issue 19, criterion 1): builds the Orderly jar, runs it as a JVM of its own on a fresh
# embedded PostgreSQL under mixed REST load, and kills it with kill -9 CRASH_KILLS times (5) of each kind: the JVM
# alone, and the JVM with every process of its PostgreSQL; restarts it on the same data directory each time, then
# checks every order in the event store and the REST API against what its client was told. The report (counts, and
# every violation by invariant) and the node's log go to app/target/crash/.
# Settings: CRASH_KILLS (5), CRASH_LOAD_SECONDS (load between kills, 12), CRASH_CLIENTS (6),
# CRASH_SETTLE_SECONDS (longest wait for the sagas after the last restart, 90).
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./mvnw -B -q -pl app -am verify -Dit.test=CrashIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
     -Dfailsafe.failIfNoSpecifiedTests=false \
     -Dorderly.crash.kills="${CRASH_KILLS:-5}" -Dorderly.crash.loadSeconds="${CRASH_LOAD_SECONDS:-12}" \
     -Dorderly.crash.clients="${CRASH_CLIENTS:-6}" -Dorderly.crash.settleSeconds="${CRASH_SETTLE_SECONDS:-90}"
