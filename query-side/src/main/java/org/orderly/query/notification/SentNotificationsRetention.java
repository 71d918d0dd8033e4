package org.orderly.query.notification;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.retention.BatchedDelete;
import org.orderly.config.retention.RetentionProperties;
import org.orderly.config.retention.RetentionTask;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes notifications that were sent, or given up on (FAILED: the last allowed attempt failed, or the customer
 * was erased), longer than {@code orderly.retention.sent-notifications} ago; a FAILED one counts from the time its
 * last attempt was due. A PENDING notification is never removed, however old. A replay records no notification,
 * so a removed one is never sent again.
 */
@Component
class SentNotificationsRetention implements RetentionTask {

    private final JdbcTemplate jdbc;
    private final Optional<Duration> period;

    SentNotificationsRetention(DomainStores stores, RetentionProperties retention) {
        this.jdbc = stores.get(NotificationStore.DOMAIN).jdbc();
        this.period = retention.sentNotificationsPeriod();
    }

    @Override
    public String kind() {
        return RetentionProperties.SENT_NOTIFICATIONS;
    }

    @Override
    public Optional<Duration> period() {
        return period;
    }

    @Override
    public long removeExpired(Instant cutoff, int batchSize) {
        Timestamp before = Timestamp.from(cutoff);
        // Through the created_at index (the record has none on sent_at or status, see V4__notification_queue.sql):
        // a notification is sent after its event, so one sent before the cutoff was created before it too. (Should
        // the event's clock run ahead of the database's, the row stays only until its created_at passes the cutoff.)
        long sent = BatchedDelete.run(jdbc, """
                DELETE FROM notifications WHERE notification_id = ANY (ARRAY(
                       SELECT notification_id FROM notifications
                        WHERE created_at < ? AND sent_at < ? LIMIT ?))
                """, batchSize, before, before);
        // Failed ones are found in the queue, where they stay; deleting the record deletes its queue row.
        long failed = BatchedDelete.run(jdbc, """
                DELETE FROM notifications WHERE notification_id = ANY (ARRAY(
                       SELECT notification_id FROM notification_queue
                        WHERE state = 'FAILED' AND next_attempt_at < ? LIMIT ?))
                """, batchSize, before);
        return sent + failed;
    }
}
