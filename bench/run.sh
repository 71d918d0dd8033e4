#!/usr/bin/env bash
# Builds Orderly, the harness and the peer (bench-peer), then runs every workload. Needs a JDK, and pgbench
# (Debian package postgresql-client) for the PostgreSQL ceiling. Settings: BENCH_DURATION (s, 60), BENCH_WARMUP (s, 10),
# BENCH_CLIENTS ("1,16,64"), BENCH_WORKLOADS (any of register,peer,token,freshness,order,fulfilment,checkout,pgbench,rebuild; all by
# default), BENCH_REBUILD_EVENTS (1000000). BENCH_WORKLOADS=cluster runs the split deployables as 1 command + 1 query node
# and as 2 + 2 on a PostgreSQL and a Keycloak of their own; not a default, since Keycloak takes minutes to start.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl app,bench,bench-peer -am -DskipTests package
exec java -Dbench.duration="${BENCH_DURATION:-60}" -Dbench.warmup="${BENCH_WARMUP:-10}" \
     -Dbench.clients="${BENCH_CLIENTS:-1,16,64}" \
     -Dbench.workloads="${BENCH_WORKLOADS:-register,peer,token,freshness,order,fulfilment,checkout,pgbench,rebuild}" \
     -Dbench.rebuildEvents="${BENCH_REBUILD_EVENTS:-1000000}" -jar bench/target/bench.jar
