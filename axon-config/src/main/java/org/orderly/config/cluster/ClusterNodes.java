package org.orderly.config.cluster;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The registry of the nodes that run on one database: {@code ops.cluster_node}, one row per node, written by the
 * node's heartbeat every {@code orderly.cluster.heartbeat-interval} on a thread of its own (never a shared
 * scheduler a long task could hold up). A node is live while its heartbeat is younger than
 * {@code orderly.cluster.liveness}, in the database's time, so that nodes with skewed clocks agree. A node that
 * stops deletes its row; a killed one leaves it, to be counted as dead once it ages and removed by the next
 * heartbeat of any node after ten times the liveness.
 * <p>
 * Each heartbeat also records the event processors running on the node, which is what decides how many nodes
 * share a processor's segments ({@link SegmentBalance}): a node where an operator stopped a processor, or a
 * command-side node without projections, takes no share of it.
 * <p>
 * The row is written after the processors have started and deleted before they stop (and release their claims),
 * so that the other nodes' shares have grown by the time those claims are free.
 */
public final class ClusterNodes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterNodes.class);
    /** After the processors start (Axon's inbound phase), and before them on the way down. */
    static final int PHASE = Integer.MAX_VALUE - 200;

    private final JdbcTemplate main;
    private final String self;
    private final NodeRole role;
    private final ClusterProperties properties;
    private final Supplier<List<String>> runningProcessors;
    private final SegmentBalance balance;
    private volatile ScheduledExecutorService heartbeats;
    private volatile boolean registered;
    private volatile int liveCount;

    /**
     * @param main              the main database, whose {@code ops} schema holds the registry
     * @param self              this node's id ({@code orderly.node-id})
     * @param runningProcessors the event processors running on this node now
     */
    public ClusterNodes(JdbcTemplate main, String self, NodeRole role, ClusterProperties properties,
                        Supplier<List<String>> runningProcessors, SegmentBalance balance) {
        this.main = main;
        this.self = self;
        this.role = role;
        this.properties = properties;
        this.runningProcessors = runningProcessors;
        this.balance = balance;
    }

    /** This node's id. */
    public String self() {
        return self;
    }

    /** What this node runs. */
    public NodeRole role() {
        return role;
    }

    /** The live nodes, this one among them once registered, oldest first; read from the registry now. */
    public List<ClusterNode> live() {
        return main.query("""
                SELECT node_id, role, processors, started_at, heartbeat_at FROM ops.cluster_node
                 WHERE heartbeat_at > now() - ?::interval ORDER BY started_at, node_id
                """, ClusterNodes::node, interval(properties.liveness().toMillis()));
    }

    /**
     * Which segments each node holds, read from the token tables now: node id, then processor, then segment ids.
     * Only the processors this node balances (its projections and sagas); a node killed without releasing its claims
     * appears here until the others take them over, so read it together with {@link #live()}.
     */
    public Map<String, Map<String, List<Integer>>> segmentsByNode() {
        return balance.segmentsByNode();
    }

    /** The live nodes as this node's last successful heartbeat found them, and when: what health reports. */
    public record Seen(List<ClusterNode> live, java.time.Instant at) {
    }

    private volatile Seen lastSeen = new Seen(List.of(), null);

    /** The registry as of this node's last successful heartbeat, without asking the database again. */
    public Seen lastSeen() {
        return lastSeen;
    }

    /** The number of live nodes at this node's last heartbeat (this one included). */
    public int liveCount() {
        return liveCount;
    }

    /** Writes this node's heartbeat, forgets long-dead nodes and recomputes this node's shares of segments. */
    void beat() {
        String[] processors = runningProcessors.get().stream().sorted().toArray(String[]::new);
        if (!registered) {
            // A node restarted under the same id after a kill takes its old row over as a new start.
            main.update(connection -> {
                var statement = connection.prepareStatement("""
                        INSERT INTO ops.cluster_node (node_id, role, processors, started_at, heartbeat_at)
                        VALUES (?, ?, ?, now(), now())
                        ON CONFLICT (node_id) DO UPDATE SET role = EXCLUDED.role, processors = EXCLUDED.processors,
                               started_at = now(), heartbeat_at = now()
                        """);
                statement.setString(1, self);
                statement.setString(2, role.label());
                statement.setArray(3, connection.createArrayOf("text", processors));
                return statement;
            });
            registered = true;
            log.info("Node {} ({}) joined the cluster", self, role.label());
        } else {
            int updated = main.update(connection -> {
                var statement = connection.prepareStatement("""
                        UPDATE ops.cluster_node SET processors = ?, heartbeat_at = now() WHERE node_id = ?
                        """);
                statement.setArray(1, connection.createArrayOf("text", processors));
                statement.setString(2, self);
                return statement;
            });
            if (updated == 0) {
                // Removed as long dead while this node could not reach the database: join again.
                registered = false;
                beat();
                return;
            }
        }
        main.update("DELETE FROM ops.cluster_node WHERE heartbeat_at < now() - ?::interval",
                interval(properties.liveness().toMillis() * 10));
        List<ClusterNode> live = live();
        liveCount = live.size();
        lastSeen = new Seen(List.copyOf(live), java.time.Instant.now());
        balance.refresh(self, live.stream().filter(node -> !node.nodeId().equals(self)).toList());
    }

    private void beatSafely() {
        try {
            beat();
        } catch (RuntimeException e) {
            // The database unreachable: the other nodes will count this one dead, and its claims expire as theirs.
            log.warn("Node {} could not write its heartbeat: {}", self, e.toString());
        }
    }

    @Override
    public void start() {
        beatSafely();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "orderly-cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.heartbeatInterval().toMillis();
        executor.scheduleWithFixedDelay(this::beatSafely, interval, interval, TimeUnit.MILLISECONDS);
        heartbeats = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = heartbeats;
        heartbeats = null;
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            main.update("DELETE FROM ops.cluster_node WHERE node_id = ?", self);
            log.info("Node {} left the cluster", self);
        } catch (RuntimeException e) {
            log.warn("Node {} could not remove itself from the registry; it ages out: {}", self, e.toString());
        }
        registered = false;
    }

    @Override
    public boolean isRunning() {
        return heartbeats != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private static String interval(long millis) {
        return millis + " milliseconds";
    }

    private static ClusterNode node(ResultSet rs, int row) throws SQLException {
        Array array = rs.getArray("processors");
        List<String> processors = array == null ? List.of() : Arrays.asList((String[]) array.getArray());
        return new ClusterNode(rs.getString("node_id"), NodeRole.of(rs.getString("role")), processors,
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("heartbeat_at")));
    }

    private static java.time.Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
