package org.orderly.query.notification;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.orderly.api.customer.CustomerId;
import org.orderly.api.notification.NotificationId;
import org.orderly.api.notification.NotificationType;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The outbox as the dispatcher and the monitoring see it: {@code notification_queue}, the notifications not
 * sent yet (what is due, what failed), and {@code notifications}, each notification's record, whose delivery
 * columns the dispatcher updates. Times are the database's, so that nodes with skewed clocks agree on what is due.
 */
@Component
class NotificationOutbox {

    private final JdbcTemplate jdbc;

    NotificationOutbox(DomainStores stores) {
        this.jdbc = stores.get(NotificationStore.DOMAIN).jdbc();
    }

    /**
     * Locks up to {@code limit} due notifications for the current transaction: their queue rows and their
     * records, both, so that this transaction never waits for a lock once it has its batch (a customer's erasure,
     * which changes both too, waits for it or is skipped). Rows another node has locked are skipped, not waited
     * for, so any number of nodes can dispatch at once and none sends what another is sending.
     */
    List<DueNotification> lockDue(int limit) {
        return jdbc.query("""
                SELECT n.notification_id, n.type, n.order_id, n.shipment_id, n.detail, n.created_at, n.attempts,
                       COALESCE(n.customer_id, o.customer_id) AS customer_id,
                       COALESCE(n.recipient, c.email) AS recipient
                  FROM notification_queue q
                  JOIN notifications n ON n.notification_id = q.notification_id
                  LEFT JOIN order_customers o ON n.customer_id IS NULL AND o.order_id = n.order_id
                  LEFT JOIN customer_contacts c ON n.recipient IS NULL
                                               AND c.customer_id = COALESCE(n.customer_id, o.customer_id)
                 WHERE q.state = 'PENDING' AND q.next_attempt_at <= now()
                 ORDER BY q.next_attempt_at
                 LIMIT ?
                   FOR UPDATE OF q, n SKIP LOCKED
                """, NotificationOutbox::due, limit);
    }

    /** One attempt's outcome for one locked notification. */
    record Attempt(DueNotification due, DeliveryOutcome outcome) {
    }

    /**
     * Stores the outcomes of a batch's attempts, and the customer and recipient resolved for each, which
     * the list then shows: one statement for the whole batch rather than a round trip per notification. A sent
     * notification leaves the queue; a retried one gets its next due time there, a failed one stays there as
     * FAILED. The notification's record changes only in columns no index covers, so each of its updates is HOT
     * (see the notification schema's V4 migration): a new row version on the same page, and no index entries.
     */
    void record(List<Attempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        int n = attempts.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        Integer[] tries = new Integer[n];
        String[] errors = new String[n];
        UUID[] customers = new UUID[n];
        String[] recipients = new String[n];
        Double[] retryAfterSeconds = new Double[n];
        for (int i = 0; i < n; i++) {
            DueNotification due = attempts.get(i).due();
            DeliveryOutcome outcome = attempts.get(i).outcome();
            ids[i] = due.notificationId().value();
            statuses[i] = outcome.status().name();
            tries[i] = outcome.attempts();
            errors[i] = outcome.error();
            customers[i] = due.customerId() == null ? null : due.customerId().value();
            recipients[i] = due.recipient();
            retryAfterSeconds[i] = outcome.retryAfter() == null ? null : seconds(outcome.retryAfter());
        }
        jdbc.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    WITH a AS (SELECT * FROM unnest(?::uuid[], ?::varchar[], ?::int[], ?::varchar[], ?::uuid[],
                                                    ?::varchar[], ?::float8[])
                                   AS a(notification_id, status, attempts, error, customer_id, recipient, retry_after)),
                         sent AS (DELETE FROM notification_queue q USING a
                                   WHERE q.notification_id = a.notification_id AND a.status = 'SENT'),
                         unsent AS (UPDATE notification_queue q
                                       SET state = a.status,
                                           next_attempt_at = CASE WHEN a.retry_after IS NULL THEN q.next_attempt_at
                                                                  ELSE clock_timestamp() + make_interval(secs => a.retry_after) END
                                      FROM a
                                     WHERE q.notification_id = a.notification_id AND a.status <> 'SENT')
                    UPDATE notifications n
                       SET status = a.status, attempts = a.attempts, last_error = a.error,
                           customer_id = COALESCE(n.customer_id, a.customer_id),
                           recipient = COALESCE(n.recipient, a.recipient),
                           sent_at = CASE WHEN a.status = 'SENT' THEN clock_timestamp() ELSE n.sent_at END
                      FROM a
                     WHERE n.notification_id = a.notification_id
                    """)) {
                update.setArray(1, connection.createArrayOf("uuid", ids));
                update.setArray(2, connection.createArrayOf("varchar", statuses));
                update.setArray(3, connection.createArrayOf("int4", tries));
                update.setArray(4, connection.createArrayOf("varchar", errors));
                update.setArray(5, connection.createArrayOf("uuid", customers));
                update.setArray(6, connection.createArrayOf("varchar", recipients));
                update.setArray(7, connection.createArrayOf("float8", retryAfterSeconds));
                return update.executeUpdate();
            }
        });
    }

    /** What metrics and health report; reads the queue only, which holds nothing sent. */
    Backlog backlog() {
        return jdbc.queryForObject("""
                SELECT count(*) FILTER (WHERE state = 'PENDING') AS pending,
                       count(*) FILTER (WHERE state = 'FAILED') AS failed,
                       EXTRACT(EPOCH FROM clock_timestamp() - min(recorded_at) FILTER (WHERE state = 'PENDING'))
                           AS oldest_pending_seconds
                  FROM notification_queue
                """, (rs, row) -> {
            double oldest = rs.getDouble("oldest_pending_seconds");
            Duration oldestPending = rs.wasNull() ? Duration.ZERO : Duration.ofMillis(Math.round(oldest * 1000));
            return new Backlog(rs.getLong("pending"), rs.getLong("failed"), oldestPending);
        });
    }

    /**
     * @param oldestPending how long the oldest pending notification has waited since it was recorded;
     *                      zero when none is pending
     */
    record Backlog(long pending, long failed, Duration oldestPending) {

        boolean healthy(Duration maxPendingAge) {
            return failed == 0 && oldestPending.compareTo(maxPendingAge) <= 0;
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static DueNotification due(ResultSet rs, int row) throws SQLException {
        UUID customerId = rs.getObject("customer_id", UUID.class);
        UUID orderId = rs.getObject("order_id", UUID.class);
        UUID shipmentId = rs.getObject("shipment_id", UUID.class);
        return new DueNotification(new NotificationId(rs.getObject("notification_id", UUID.class)),
                NotificationType.valueOf(rs.getString("type")),
                customerId == null ? null : new CustomerId(customerId),
                rs.getString("recipient"),
                orderId == null ? null : new OrderId(orderId),
                shipmentId == null ? null : new ShipmentId(shipmentId),
                rs.getString("detail"), rs.getTimestamp("created_at").toInstant(), rs.getInt("attempts"));
    }
}
