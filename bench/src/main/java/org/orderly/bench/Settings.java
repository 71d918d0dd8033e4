package org.orderly.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Every setting of the harness, read once from the system properties {@code bench.*} that {@code bench/run.sh}
 * passes (from its {@code BENCH_*} variables) or that are given on the command line.
 *
 * @param duration     {@code bench.duration}: seconds of each measured run (60)
 * @param warmup       {@code bench.warmup}: unmeasured seconds before each (10)
 * @param clients      {@code bench.clients}: the closed loops' client counts ("1,16,64")
 * @param workloads    {@code bench.workloads}: which workloads run ({@link #ALL_WORKLOADS})
 * @param out          {@code bench.out}: where the reports and the processes' logs go (bench/results)
 * @param appJar       {@code bench.app}: Orderly's jar
 * @param peerJar      {@code bench.peer}: the peer's jar (module bench-peer)
 * @param jvmOptions   {@code bench.appHeap}: heap, collector and compiler options Orderly, the peer and the cluster nodes run
 *                     with ({@link #DEFAULT_JVM_OPTIONS}, what {@code app/start-fast.sh} starts Orderly with; blank for
 *                     the JVM's own choice). The million-event catch-up and replay of the rebuild workload keep under
 *                     100 MB live in it.
 * @param appJvmArgs   {@code bench.appJvmArgs}: more options for Orderly's JVM only, e.g.
 *                     {@code -XX:StartFlightRecording=filename=bench/results/app.jfr} to profile it
 * @param tokenTtl     {@code bench.tokenTtl}: the lifetime of the embedded issuer's tokens (PT4H: they outlive the run,
 *                     the harness logs in once)
 * @param keep         {@code bench.keep}: keep the work directories (databases, extracted jar) after the run
 * @param skipSustained {@code bench.skipSustained}: skip the sustained-rate probes of registrations, Orderly's and the peer's (quicker A/B runs)
 * @param probeSeconds {@code bench.probeSeconds}: seconds of each sustained-rate probe (20)
 * @param drainSeconds {@code bench.drainSeconds}: how long a processor may take to handle a load's last event (10)
 * @param pendingTimeout {@code bench.pendingTimeout}: how long to wait for earlier orders still PENDING (600 s)
 * @param orderCustomers {@code bench.orderCustomers}: customers with a login who place the orders (16)
 * @param checkoutCustomers {@code bench.checkoutCustomers}: customers with a login and an address who check out, one
 *                     per flow in progress (48; at least the largest client count)
 * @param token        the token validation workload's settings
 * @param freshness    the freshness workload's settings
 * @param fulfilment   the fulfilment workload's settings
 * @param rebuild      the rebuild workload's settings
 * @param cluster      the cluster workload's settings
 */
record Settings(Duration duration, Duration warmup, List<Integer> clients, List<String> workloads, Path out,
                Path appJar, Path peerJar, List<String> jvmOptions, List<String> appJvmArgs, String tokenTtl,
                boolean keep, boolean skipSustained, long probeSeconds, long drainSeconds, Duration pendingTimeout,
                int orderCustomers, int checkoutCustomers, Token token, Freshness freshness, Fulfilment fulfilment, Rebuild rebuild,
                Cluster cluster) {

    static final String ALL_WORKLOADS = "register,peer,token,freshness,order,fulfilment,checkout,pgbench,rebuild";
    static final String DEFAULT_JVM_OPTIONS = "-Xmx512m -XX:+UseParallelGC -XX:CompileThresholdScaling=3";

    /**
     * @param clients {@code bench.tokenClients} (16)
     * @param rounds  {@code bench.tokenRounds}: turns of A (no token) and B (a staff token) (3)
     * @param phase   {@code bench.tokenSeconds}: each phase (10 s)
     * @param warmup  {@code bench.tokenWarmup}: before the first phase, half without a token and half with one (the
     *                larger of {@code bench.warmup} and 60 s: the read path has barely run before, and the anonymous
     *                CPU per request keeps falling over the rounds after a shorter one)
     */
    record Token(int clients, int rounds, Duration phase, Duration warmup) {
    }

    /**
     * @param fixedRate {@code bench.freshnessRate}: a fixed rate (an A/B; not judged) instead of half the measured one,
     *                  or {@code null}
     * @param readEvery {@code bench.freshnessReadEvery}: one registration in this many is read back (4)
     */
    record Freshness(Double fixedRate, int readEvery) {
    }

    /**
     * @param fixedRate {@code bench.fulfilmentRate}: a fixed placement rate (not judged) instead of half the sustained
     *                  one, or {@code null}
     * @param pollEvery {@code bench.fulfilmentPollEvery}: one order in this many is polled in the query endpoint (10)
     * @param pollMillis {@code bench.pollMillis}: how often it is polled (20 ms)
     */
    record Fulfilment(Double fixedRate, int pollEvery, long pollMillis) {
        /** The rate of a fulfilment run when neither a fixed one nor a sustained one is known. */
        static final double DEFAULT_RATE = 50;
    }

    /**
     * @param events         {@code bench.rebuildEvents}: synthetic customer events inserted (1000000)
     * @param catchUpTimeout {@code bench.catchUpTimeout}: for the live processors to reach the head (1800 s)
     * @param replayTimeout  {@code bench.replayTimeout}: for each replay (1800 s)
     */
    record Rebuild(long events, Duration catchUpTimeout, Duration replayTimeout) {
    }

    /**
     * @param clients       {@code bench.clusterClients} (16)
     * @param freshnessRate {@code bench.clusterFreshnessRate}: a fixed freshness rate for both shapes, or {@code null}
     * @param pollMillis    {@code bench.clusterPollMillis}: how often the freshness poller looks (5 ms)
     * @param nodeStart     {@code bench.clusterStartSeconds}: how long a node may take to be ready (600 s)
     * @param commandJar    {@code bench.commandSide}: the command-side deployable
     * @param queryJar      {@code bench.querySide}: the query-side deployable
     * @param adminScript   {@code bench.postgresAdminScript}: the administrator script that prepares the PostgreSQL
     * @param keycloakHome  {@code bench.keycloakHome}: Keycloak's distribution, or {@code null} for the one the build
     *                      unpacks
     * @param keycloakRealm {@code bench.keycloakRealm}: the realm imported
     * @param keycloakStart {@code bench.keycloakStartSeconds}: how long Keycloak may take to start (600 s)
     */
    record Cluster(int clients, Double freshnessRate, long pollMillis, Duration nodeStart, Path commandJar,
                   Path queryJar, Path adminScript, Path keycloakHome, Path keycloakRealm, Duration keycloakStart) {
    }

    static Settings fromSystemProperties() {
        Duration warmup = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
        String jvmOptions = System.getProperty("bench.appHeap", DEFAULT_JVM_OPTIONS);
        return new Settings(
                Duration.ofSeconds(Long.getLong("bench.duration", 60)),
                warmup,
                Arrays.stream(System.getProperty("bench.clients", "1,16,64").split(",")).map(String::strip)
                        .map(Integer::valueOf).toList(),
                List.of(System.getProperty("bench.workloads", ALL_WORKLOADS).split("\\s*,\\s*")),
                Path.of(System.getProperty("bench.out", "bench/results")),
                Path.of(System.getProperty("bench.app", "app/target/app-0.1.0-SNAPSHOT.jar")),
                Path.of(System.getProperty("bench.peer", "bench-peer/target/bench-peer.jar")),
                words(jvmOptions),
                words(System.getProperty("bench.appJvmArgs", "")),
                System.getProperty("bench.tokenTtl", "PT4H"),
                Boolean.getBoolean("bench.keep"),
                Boolean.getBoolean("bench.skipSustained"),
                Long.getLong("bench.probeSeconds", 20),
                Long.getLong("bench.drainSeconds", 10),
                Duration.ofSeconds(Long.getLong("bench.pendingTimeout", 600)),
                Integer.getInteger("bench.orderCustomers", 16),
                Integer.getInteger("bench.checkoutCustomers", 48),
                new Token(Integer.getInteger("bench.tokenClients", 16), Integer.getInteger("bench.tokenRounds", 3),
                        Duration.ofSeconds(Long.getLong("bench.tokenSeconds", 10)),
                        Duration.ofSeconds(Long.getLong("bench.tokenWarmup", Math.max(60, warmup.toSeconds())))),
                new Freshness(decimal("bench.freshnessRate"), Integer.getInteger("bench.freshnessReadEvery", 4)),
                new Fulfilment(decimal("bench.fulfilmentRate"), Integer.getInteger("bench.fulfilmentPollEvery", 10),
                        Long.getLong("bench.pollMillis", 20)),
                new Rebuild(Long.getLong("bench.rebuildEvents", 1_000_000),
                        Duration.ofSeconds(Long.getLong("bench.catchUpTimeout", 1800)),
                        Duration.ofSeconds(Long.getLong("bench.replayTimeout", 1800))),
                new Cluster(Integer.getInteger("bench.clusterClients", 16), decimal("bench.clusterFreshnessRate"),
                        Long.getLong("bench.clusterPollMillis", 5),
                        Duration.ofSeconds(Long.getLong("bench.clusterStartSeconds", 600)),
                        Path.of(System.getProperty("bench.commandSide",
                                "command-side/target/command-side-0.1.0-SNAPSHOT-exec.jar")),
                        Path.of(System.getProperty("bench.querySide",
                                "query-side/target/query-side-0.1.0-SNAPSHOT-exec.jar")),
                        Path.of(System.getProperty("bench.postgresAdminScript",
                                "docker/postgres/init/01-orderly-roles.sql")),
                        System.getProperty("bench.keycloakHome") == null ? null
                                : Path.of(System.getProperty("bench.keycloakHome")),
                        Path.of(System.getProperty("bench.keycloakRealm", "docker/keycloak/orderly-realm.json")),
                        Duration.ofSeconds(Long.getLong("bench.keycloakStartSeconds", 600))));
    }

    boolean runs(String workload) {
        return workloads.contains(workload);
    }

    /** The largest client count: the closed loops at which a projection's lag is judged. */
    int maxClients() {
        return clients.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static List<String> words(String value) {
        return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    private static Double decimal(String property) {
        String value = System.getProperty(property);
        return value == null ? null : Double.valueOf(value);
    }
}
