package org.orderly.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every Orderly setting, under {@code orderly.*}. */
@ConfigurationProperties("orderly")
public class OrderlyProperties {

    private final Database database = new Database();
    /** Per-domain connection settings (url, username, password, pool-size), keyed by domain name; unset ones fall back to the main database. */
    private final Map<String, DomainConnection> domains = new LinkedHashMap<>();
    private final Processors processors = new Processors();
    private final Sagas sagas = new Sagas();
    private final Idempotency idempotency = new Idempotency();
    private final Eventstore eventstore = new Eventstore();
    /**
     * How this node signs the claims it holds in every token table; defaults to the JVM's name
     * ({@code pid@host}, Axon's own default). Set it when nodes share a host name and pid space (containers).
     */
    private String nodeId;

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Database getDatabase() {
        return database;
    }

    /** Per-domain connection settings, keyed by domain name; any setting left out falls back to the main database. */
    public Map<String, DomainConnection> getDomains() {
        return domains;
    }

    public Sagas getSagas() {
        return sagas;
    }

    public Processors getProcessors() {
        return processors;
    }

    public Eventstore getEventstore() {
        return eventstore;
    }

    /**
     * How tracked reads treat an index whose transaction has not committed yet (a gap), and how an index that
     * commits after readers gave up on it is found and delivered ({@code org.orderly.config.eventstore.gaps}).
     */
    public static class Eventstore {
        /**
         * How long a reader keeps waiting for an uncommitted index among recent events before passing it for good
         * (Axon's gap timeout). Kept bounded: every kept gap is queried again with every read.
         */
        private Duration gapTimeout = Duration.ofSeconds(60);
        /**
         * How many indexes behind the newest one read a reader still waits for an uncommitted index (Axon's
         * maximum gap offset).
         */
        private int maxGapOffset = 10_000;
        /** How often indexes that readers passed uncommitted are looked for again in the event store. */
        private Duration lateCommitCheckInterval = Duration.ofSeconds(1);
        /**
         * How long an index that readers passed uncommitted is looked for: a transaction open longer than this
         * (or a rolled-back one, whose index never commits) is no longer watched.
         */
        private Duration lateCommitHorizon = Duration.ofHours(1);
        /** The most passed-uncommitted indexes watched at once; beyond it the lowest are given up (logged). */
        private int maxWatchedGaps = 100_000;

        public Duration getGapTimeout() { return gapTimeout; }
        public void setGapTimeout(Duration gapTimeout) { this.gapTimeout = gapTimeout; }
        public int getMaxGapOffset() { return maxGapOffset; }
        public void setMaxGapOffset(int maxGapOffset) { this.maxGapOffset = maxGapOffset; }
        public Duration getLateCommitCheckInterval() { return lateCommitCheckInterval; }
        public void setLateCommitCheckInterval(Duration interval) { this.lateCommitCheckInterval = interval; }
        public Duration getLateCommitHorizon() { return lateCommitHorizon; }
        public void setLateCommitHorizon(Duration lateCommitHorizon) { this.lateCommitHorizon = lateCommitHorizon; }
        public int getMaxWatchedGaps() { return maxWatchedGaps; }
        public void setMaxWatchedGaps(int maxWatchedGaps) { this.maxWatchedGaps = maxWatchedGaps; }
    }

    public Idempotency getIdempotency() {
        return idempotency;
    }

    public static class Idempotency {
        /**
         * How long the answer to an Idempotency-Key is replayed to retries; retention removes it after that (kind
         * {@code idempotency-answers}, at each {@code orderly.retention.interval}).
         */
        private Duration retention = Duration.ofHours(24);

        public Duration getRetention() { return retention; }
        public void setRetention(Duration retention) { this.retention = retention; }
    }

    public static class Database {
        /** JDBC URL of an external PostgreSQL. When empty, Orderly starts an embedded PostgreSQL. */
        private String url;
        /**
         * The event-store role the application runs as: it may append and read events, never change or delete
         * one. With {@code manage-roles=true} on an external database, an administrator login instead, and Orderly
         * creates the event-store role {@code orderly} itself.
         */
        private String username = "orderly";
        /** Password of {@code username}; on the embedded database Orderly generates it and keeps it beside the data directory. */
        private String password;
        /**
         * The role that owns the main schemas (the event store's among them) and runs their migrations; the
         * application uses it only for that, at startup. Its password is needed with an external database
         * Orderly does not manage; otherwise Orderly sets it.
         */
        private String ownerUsername = "orderly_owner";
        /** Password of {@code owner-username}; needed on an external database Orderly does not manage, generated otherwise. */
        private String ownerPassword;
        /**
         * Whether Orderly creates the domain roles and schemas itself (needs an administrator connection).
         * Defaults to true with the embedded database and false with an external one.
         */
        private Boolean manageRoles;
        /** Connections in the event store's pool (commands, event reads, tokens of the main schema). */
        private int poolSize = 10;
        /**
         * How long a command or query waits for a connection from a pool (the main one and every domain's) before
         * it fails; with the database unreachable the caller gets a 503 with {@code Retry-After} after this long.
         * Four seconds, so that with the work a request does besides (a registration hashes a password) the answer
         * comes within five.
         */
        private Duration connectionTimeout = Duration.ofSeconds(4);
        /**
         * How long the {@code db} health check (and so readiness) waits for the database before it reports DOWN; it
         * has a connection of its own, so a busy or unreachable database never makes a probe hang.
         */
        private Duration healthTimeout = Duration.ofSeconds(1);
        private final Embedded embedded = new Embedded();

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public String getOwnerUsername() { return ownerUsername; }
        public void setOwnerUsername(String ownerUsername) { this.ownerUsername = ownerUsername; }
        public String getOwnerPassword() { return ownerPassword; }
        public void setOwnerPassword(String ownerPassword) { this.ownerPassword = ownerPassword; }
        public Boolean getManageRoles() { return manageRoles; }
        public void setManageRoles(Boolean manageRoles) { this.manageRoles = manageRoles; }
        public int getPoolSize() { return poolSize; }
        public void setPoolSize(int poolSize) { this.poolSize = poolSize; }
        public Duration getConnectionTimeout() { return connectionTimeout; }
        public void setConnectionTimeout(Duration connectionTimeout) { this.connectionTimeout = connectionTimeout; }
        public Duration getHealthTimeout() { return healthTimeout; }
        public void setHealthTimeout(Duration healthTimeout) { this.healthTimeout = healthTimeout; }
        public Embedded getEmbedded() { return embedded; }

        public boolean isExternal() {
            return url != null && !url.isBlank();
        }
    }

    public static class Embedded {
        /** Where the embedded PostgreSQL keeps its data; relative paths start at the working directory. */
        private Path dataDirectory = Path.of(".orderly", "pgdata");
        /** Port of the embedded PostgreSQL; 0 picks a free one. */
        private int port = 15432;
        /** How long the embedded PostgreSQL may take to start (a crash recovery replays WAL first). */
        private Duration startupTimeout = Duration.ofSeconds(60);
        /** Deletes the data directory when the server stops: for tests and benchmarks, never for real data. */
        private boolean temporary;
        /**
         * Further postgresql.conf settings (shared_buffers, shared_preload_libraries, ...). fsync,
         * synchronous_commit and full_page_writes are always on and cannot be changed here.
         */
        private Map<String, String> serverSettings = new LinkedHashMap<>();
        /**
         * How often Orderly looks whether the embedded PostgreSQL's server process still runs; when it has ended
         * (killed, crashed, stopped by hand) Orderly starts it again on the same data directory and port.
         */
        private Duration watchdogInterval = Duration.ofMillis(500);
        /**
         * How long after finding the server gone Orderly first tries to start it again (the old server's
         * backends notice the postmaster is gone and exit meanwhile); the wait doubles after every failed attempt.
         */
        private Duration restartDelay = Duration.ofMillis(500);
        /** The longest wait between two attempts to start the embedded PostgreSQL again. */
        private Duration restartMaxDelay = Duration.ofSeconds(30);

        public Duration getWatchdogInterval() { return watchdogInterval; }
        public void setWatchdogInterval(Duration watchdogInterval) { this.watchdogInterval = watchdogInterval; }
        public Duration getRestartDelay() { return restartDelay; }
        public void setRestartDelay(Duration restartDelay) { this.restartDelay = restartDelay; }
        public Duration getRestartMaxDelay() { return restartMaxDelay; }
        public void setRestartMaxDelay(Duration restartMaxDelay) { this.restartMaxDelay = restartMaxDelay; }
        public Path getDataDirectory() { return dataDirectory; }
        public void setDataDirectory(Path dataDirectory) { this.dataDirectory = dataDirectory; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public Duration getStartupTimeout() { return startupTimeout; }
        public void setStartupTimeout(Duration startupTimeout) { this.startupTimeout = startupTimeout; }
        public boolean isTemporary() { return temporary; }
        public void setTemporary(boolean temporary) { this.temporary = temporary; }
        public Map<String, String> getServerSettings() { return serverSettings; }
        public void setServerSettings(Map<String, String> serverSettings) { this.serverSettings = serverSettings; }
    }

    public static class DomainConnection {
        /** JDBC URL of the database this domain lives in; defaults to the main database. */
        private String url;
        /** Defaults to {@code orderly_<domain>}. */
        private String username;
        private String password;
        /** Connections in the domain's pool; unset: 4, or for a domain holding sagas one per saga worker and 4 more. */
        private Integer poolSize;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public Integer getPoolSize() { return poolSize; }
        public void setPoolSize(Integer poolSize) { this.poolSize = poolSize; }
    }

    /** Saga processors. */
    public static class Sagas {
        /**
         * Segments a new saga processor starts with, each worked on by a thread of its own. A saga waits for each
         * command it sends, one saga at a time per segment, so more segments overlap more waiting; but Axon hands
         * every event to every segment, and each looks the event's sagas up in the saga store, so on a small
         * machine more segments cost more than they overlap. Measured on 2 cores (fulfilment benchmark, 30 s):
         * at 20 orders/s 4 segments gave p50 34 ms against 110 ms for 16; at 25/s 1.0 s against 12 s.
         */
        private int segments = 4;
        /** At most this many events a saga processor handles in one transaction. */
        private int batchSize = 50;

        public int getSegments() { return segments; }
        public void setSegments(int segments) { this.segments = segments; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    }

    /** Defaults for every projection processor. */
    public static class Processors {
        /**
         * Segments a projection processor starts with and keeps while it keeps up. One: at the head each segment
         * commits its own batch and token per wake-up, which costs more than it parallelises.
         */
        private int initialSegments = 1;
        /**
         * Segments a projection processor is split into while it is at least {@link #catchUpLag} events behind (a
         * replay, a rebuild, a node back after downtime); merged back once it keeps up. Not above the initial
         * segments: never split.
         */
        private int catchUpSegments = 2;
        /**
         * Events behind the head from which a projection processor is split to catch up: a few seconds of traffic,
         * far above the tens to hundreds a processor that keeps up lags by under full load.
         */
        private long catchUpLag = 2_000;
        /**
         * At most this many events are handled in one transaction (a live processor takes what is there). A work
         * package buffers at most 1,024 events, so a replay's batches take nearly all it holds.
         */
        private int batchSize = 1000;
        /** Sequences (aggregates) a dead-letter queue may hold before it refuses more. */
        private int deadLetterMaxSequences = 1024;
        /** A domain is DEGRADED (still serving, answered 200) while one of its processors lags further behind than this. */
        private Duration healthyLag = Duration.ofSeconds(30);
        /** A domain is DEGRADED (still serving, answered 200) while one of its processors holds more dead letters than this. */
        private long deadLetterThreshold = 0;
        /**
         * How often the event store looks for events other nodes appended; local commits wake it at once.
         */
        private Duration fetchDelay = Duration.ofMillis(250);
        /**
         * The least time between two wake-ups of a processor by new events it handles. The first event after
         * a quiet spell is handled at once; under steady traffic the events of one interval make one batch
         * (one transaction, one token update) instead of one batch each. Each segment of each processor a
         * registration feeds commits once per wake-up, so at 10 ms they committed three times for every
         * registration; 30 ms gave 8-30 % more registrations at 16 clients (two runs each, 2-core benchmark),
         * for at most the interval added to a read model's freshness under steady load.
         */
        private Duration wakeUpInterval = Duration.ofMillis(25);
        /** Events read from the event store in one query; a replay of a million events makes a thousand, not ten thousand. */
        private int readBatchSize = 1000;
        /**
         * How long a claim on a segment (projection and saga processors alike) holds without its node renewing it:
         * after a node dies, the other nodes take its segments this long after its last renewal. A live node renews
         * with every batch and, idle, every third of this. Keep it above {@code orderly.cluster.liveness}, and above
         * the longest batch: a batch that outlasts it may lose its claim and roll back (handled again, never twice).
         */
        private Duration claimTimeout = Duration.ofSeconds(10);
        /**
         * How often a processor looks for segments to claim (unclaimed, released, or whose claim expired) and
         * releases those beyond its share: after a node dies, its segments are taken within the claim timeout plus
         * this. Each look reads the processor's token table once.
         */
        private Duration tokenClaimInterval = Duration.ofSeconds(1);

        public int getReadBatchSize() { return readBatchSize; }
        public Duration getClaimTimeout() { return claimTimeout; }
        public void setClaimTimeout(Duration claimTimeout) { this.claimTimeout = claimTimeout; }
        public Duration getTokenClaimInterval() { return tokenClaimInterval; }
        public void setTokenClaimInterval(Duration tokenClaimInterval) { this.tokenClaimInterval = tokenClaimInterval; }
        public void setReadBatchSize(int readBatchSize) { this.readBatchSize = readBatchSize; }

        public Duration getWakeUpInterval() { return wakeUpInterval; }
        public void setWakeUpInterval(Duration wakeUpInterval) { this.wakeUpInterval = wakeUpInterval; }
        public Duration getFetchDelay() { return fetchDelay; }
        public void setFetchDelay(Duration fetchDelay) { this.fetchDelay = fetchDelay; }
        public int getInitialSegments() { return initialSegments; }
        public int getCatchUpSegments() { return catchUpSegments; }
        public void setCatchUpSegments(int catchUpSegments) { this.catchUpSegments = catchUpSegments; }
        public long getCatchUpLag() { return catchUpLag; }
        public void setCatchUpLag(long catchUpLag) { this.catchUpLag = catchUpLag; }
        public void setInitialSegments(int initialSegments) { this.initialSegments = initialSegments; }
        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public Duration getHealthyLag() { return healthyLag; }
        public void setHealthyLag(Duration healthyLag) { this.healthyLag = healthyLag; }
        public long getDeadLetterThreshold() { return deadLetterThreshold; }
        public void setDeadLetterThreshold(long deadLetterThreshold) { this.deadLetterThreshold = deadLetterThreshold; }
        public int getDeadLetterMaxSequences() { return deadLetterMaxSequences; }
        public void setDeadLetterMaxSequences(int deadLetterMaxSequences) { this.deadLetterMaxSequences = deadLetterMaxSequences; }
    }
}
