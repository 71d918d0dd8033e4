package org.orderly.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How far Orderly's read models and order saga are behind its event store, read from its PostgreSQL: the processors'
 * stored tokens against the store's head, and the orders still PENDING. The static methods work on any Orderly's
 * database (the cluster workload's too); an instance reads the all-in-one Orderly's.
 */
final class ReadModels {

    /** Schema and processor of every read model a registration feeds. */
    static final String[][] REGISTRATION_PROCESSORS = {{"customer", "customers"},
            {"notification", "notification-contacts"}, {"notification", "notifications"},
            {"orders", "order-customer-copies"}};

    private final OrderlyProcess orderly;
    private final Settings settings;

    ReadModels(OrderlyProcess orderly, Settings settings) {
        this.orderly = orderly;
        this.settings = settings;
    }

    /**
     * Events a processor has still to handle, from its tokens in its domain's schema (as stored: a processor
     * that skips events it has no handler for stores its token only every few seconds, so this can overstate);
     * -1 if unknown.
     */
    long projectionLag(String schema, String processor) {
        try (Connection c = orderly.postgres()) {
            return projectionLag(c, schema, processor);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** {@link #projectionLag(String, String)} of the Orderly whose event store {@code c} connects to. */
    static long projectionLag(Connection c, String schema, String processor) {
        try {
            long head = head(c);
            long position = committedPosition(c, schema, processor);
            return position < 0 ? head : Math.max(0, head - position);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The most events any read model a registration feeds has still to handle; -1 if unknown. */
    long registrationBacklog() {
        try (Connection c = orderly.postgres()) {
            return registrationBacklog(c);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** {@link #registrationBacklog()} of the Orderly whose event store {@code c} connects to. */
    static long registrationBacklog(Connection c) {
        long most = 0;
        for (String[] processor : REGISTRATION_PROCESSORS) {
            long lag = projectionLag(c, processor[0], processor[1]);
            if (lag < 0) {
                return -1;
            }
            most = Math.max(most, lag);
        }
        return most;
    }

    long head() throws SQLException {
        try (Connection c = orderly.postgres()) {
            return head(c);
        }
    }

    /** The global index of the newest event in the store {@code c} connects to; 0 when empty. */
    static long head(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(global_index), 0) FROM event_store.domain_event_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The global index every segment of the processor has handled and committed, or -1 without a token. */
    private static long committedPosition(Connection c, String schema, String processor) throws Exception {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token FROM " + schema + ".token_entry WHERE processor_name = '"
                     + processor + "'")) {
            long position = Long.MAX_VALUE;
            while (rs.next()) {
                byte[] token = rs.getBytes(1);
                long index = token == null ? 0 : tokenPosition(token);
                position = Math.min(position, index);
            }
            return position == Long.MAX_VALUE ? -1 : position;
        }
    }

    /**
     * The global index a stored token has handled everything up to. Axon nests tokens: a segment merged from two
     * at different positions holds both (lower and upper) until they meet, a replay holds the token it resets
     * to and its current one; the lowest index in the tree is the position. (Reading only a top-level index
     * takes a merged token for position 0, a lag of the whole store.)
     */
    static long tokenPosition(byte[] token) throws IOException {
        List<JsonNode> indexes = Http.JSON.readTree(token).findValues("index");
        return indexes.stream().mapToLong(JsonNode::asLong).min().orElse(0);
    }

    /**
     * Milliseconds from the end of a load until every segment of the processor has handled and committed
     * every event stored by then; {@code null} if not within {@code bench.drainSeconds}. Events stored after the
     * load do not count: the order saga works off its backlog for minutes after the placements stop, and a
     * processor that keeps up with that stream still trails it by a batch at any instant, never at 0.
     */
    Long drain(String schema, String processor) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(settings.drainSeconds());
        long endOfLoad;
        try {
            endOfLoad = head();
        } catch (SQLException e) {
            return null;
        }
        while (System.nanoTime() < deadline) {
            try (Connection c = orderly.postgres()) {
                if (committedPosition(c, schema, processor) >= endOfLoad) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                }
            } catch (Exception notReadable) {
                // the token table between two commits: look again
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** Orders still PENDING in the read model; -1 if unknown. */
    long pendingOrders() {
        return count("SELECT count(*) FROM orders.orders WHERE status = 'PENDING'");
    }

    /**
     * Notifications still to be sent; -1 if unknown. From the outbox's queue, or where an older Orderly has none (an
     * A/B run against an earlier build), from the notifications' status.
     */
    long pendingNotifications() {
        long queued = count("SELECT count(*) FROM notification.notification_queue WHERE state = 'PENDING'");
        return queued >= 0 ? queued : count("SELECT count(*) FROM notification.notifications WHERE status = 'PENDING'");
    }

    private long count(String sql) {
        try (Connection c = orderly.postgres(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * Waits (up to {@code bench.pendingTimeout}) for the order saga to work off earlier workloads' orders; returns
     * what was pending and how long it took.
     */
    Map<String, Object> awaitNoPendingOrders() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + settings.pendingTimeout().toNanos();
        long initially = pendingOrders();
        long pending = initially;
        while (pending > 0 && System.nanoTime() < deadline) {
            System.out.printf("waiting for %d orders still PENDING from earlier workloads%n", pending);
            Thread.sleep(2000);
            pending = pendingOrders();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pending", initially);
        result.put("stillPending", pending);
        result.put("waitedSeconds", Math.round((System.nanoTime() - start) / 1e8) / 10.0);
        return result;
    }

    /** Waits up to {@code seconds} for a backlog to reach 0; returns the seconds waited. */
    static double awaitBacklog(LongSupplier backlog, long seconds) throws InterruptedException {
        long start = System.nanoTime();
        while (backlog.getAsLong() != 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(seconds)) {
            Thread.sleep(200);
        }
        return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }
}
