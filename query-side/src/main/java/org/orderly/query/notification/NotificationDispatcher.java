package org.orderly.query.notification;

import java.util.ArrayList;
import java.util.List;

import org.orderly.api.notification.NotificationStatus;
import org.orderly.config.domainstore.DomainStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends due notifications in the background. Each batch is locked, sent and recorded in one
 * transaction on the notification domain's pool; a crash before the commit leaves the batch pending,
 * to be sent again (at least once, never lost).
 */
@Component
class NotificationDispatcher {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);

    private final TransactionTemplate transactions;
    private final NotificationOutbox outbox;
    private final NotificationDelivery delivery;
    private final NotificationMonitoring monitoring;
    private final int batchSize;

    NotificationDispatcher(DomainStores stores, NotificationOutbox outbox, NotificationSender sender,
                           NotificationMonitoring monitoring, NotificationProperties properties) {
        this.transactions = stores.get(NotificationStore.DOMAIN).transactions();
        this.outbox = outbox;
        this.delivery = new NotificationDelivery(sender, properties.retryPolicy());
        this.monitoring = monitoring;
        this.batchSize = properties.batchSize();
    }

    /** Run every {@code orderly.notifications.poll-interval} ({@link NotificationConfiguration}). */
    void dispatchDue() {
        try {
            // A full batch suggests more are due: keep going rather than wait for the next poll.
            while (dispatchBatch() == batchSize) {
                log.debug("Full batch of notifications dispatched, continuing");
            }
        } catch (DataAccessException | TransactionException e) {
            log.warn("Dispatching notifications failed; trying again at the next poll", e);
        }
    }

    /** @return how many notifications were due and attempted */
    int dispatchBatch() {
        int[] sent = {0};
        Integer attempted = transactions.execute(status -> {
            List<DueNotification> due = outbox.lockDue(batchSize);
            List<NotificationOutbox.Attempt> attempts = new ArrayList<>(due.size());
            for (DueNotification notification : due) {
                DeliveryOutcome outcome = delivery.attempt(notification);
                attempts.add(new NotificationOutbox.Attempt(notification, outcome));
                if (outcome.status() == NotificationStatus.SENT) {
                    sent[0]++;
                }
            }
            outbox.record(attempts);
            return due.size();
        });
        monitoring.sent(sent[0]);
        return attempted == null ? 0 : attempted;
    }
}
