package org.orderly.query.notification;

import org.orderly.api.customer.CustomerErasedEvent;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.notification.FindNotificationsQuery;
import org.orderly.api.notification.NotificationCursor;
import org.orderly.api.notification.NotificationId;
import org.orderly.api.notification.NotificationPage;
import org.orderly.api.notification.NotificationStatus;
import org.orderly.api.notification.NotificationType;
import org.orderly.api.notification.NotificationView;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records each notification to send, once per source event: the id is derived from the event's id,
 * and the insert does nothing when that id exists, so a redelivered event records nothing new. The
 * recipient's email is copied from {@code customer_contacts} when it is there already; that table
 * belongs to another processor, which may lag behind this one, so a missing recipient is left null
 * and resolved by the dispatcher.
 * <p>
 * Each notification is recorded in {@code notifications} and queued in {@code notification_queue}, in one
 * statement, which the dispatcher polls. These tables are an outbox and a history of what was sent, not a view
 * that events can rebuild: their delivery state comes from the dispatcher. A notification is a side effect of an event as it
 * happens, so a replay records nothing and a reset deletes nothing. Otherwise a replay after old
 * rows were purged, or after a new notification type was added, would notify customers of the past.
 */
@Component
@ProcessingGroup(NotificationProjection.PROCESSING_GROUP)
class NotificationProjection {

    static final String PROCESSING_GROUP = "notifications";

    private static final Logger log = LoggerFactory.getLogger(NotificationProjection.class);

    private static final String VIEW_COLUMNS = "notification_id, customer_id, recipient, type, status, created_at";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;

    NotificationProjection(DomainStores stores) {
        this.jdbc = stores.get(NotificationStore.DOMAIN).jdbc();
        this.writes = stores.get(NotificationStore.DOMAIN).writes();
    }

    /** Deterministic, so that a redelivered event maps to the notification it created before. */
    static NotificationId idFor(String eventIdentifier, NotificationType type) {
        return new NotificationId(UUID.nameUUIDFromBytes(
                (eventIdentifier + "/" + type.name()).getBytes(StandardCharsets.UTF_8)));
    }

    /** The registration carries the email itself, so a welcome never waits for the contact copy. */
    @EventHandler
    void on(CustomerRegisteredEvent event, @MessageIdentifier String eventId, @Timestamp Instant at,
            ReplayStatus replay) {
        record(replay, NotificationType.CUSTOMER_WELCOME, eventId, at, event.customerId().value(), null, null,
                event.email(), event.name());
    }

    @EventHandler
    void on(OrderConfirmedEvent event, @MessageIdentifier String eventId, @Timestamp Instant at,
            ReplayStatus replay) {
        record(replay, NotificationType.ORDER_CONFIRMED, eventId, at, event.customerId().value(),
                event.orderId().value(), null, null, null);
    }

    @EventHandler
    void on(OrderRejectedEvent event, @MessageIdentifier String eventId, @Timestamp Instant at,
            ReplayStatus replay) {
        record(replay, NotificationType.ORDER_REJECTED, eventId, at, event.customerId().value(),
                event.orderId().value(), null, null, event.reason());
    }

    /** Names only the order: the customer comes from the order copy, now or at send time. */
    @EventHandler
    void on(ShipmentDispatchedEvent event, @MessageIdentifier String eventId, @Timestamp Instant at,
            ReplayStatus replay) {
        record(replay, NotificationType.SHIPMENT_DISPATCHED, eventId, at, null, event.orderId().value(),
                event.shipmentId().value(), null, null);
    }

    /**
     * The outbox forgets the customer's address, their name and any error text of their notifications, sent or
     * not; one still waiting will never be sent: it is FAILED, in the queue and in its record. Also during a replay:
     * the outbox is not rebuilt by one. A notification the dispatcher is sending holds its record's lock, so the
     * first statement waits for that batch and the second sees what it left.
     */
    @EventHandler
    void on(CustomerErasedEvent event) {
        jdbc.update("""
                UPDATE notifications SET recipient = NULL, detail = NULL, last_error = NULL
                 WHERE customer_id = ? OR order_id IN (SELECT order_id FROM order_customers WHERE customer_id = ?)
                """, event.customerId().value(), event.customerId().value());
        jdbc.update("""
                WITH given_up AS (
                    UPDATE notification_queue q SET state = 'FAILED'
                      FROM notifications n
                     WHERE q.state = 'PENDING' AND n.notification_id = q.notification_id
                       AND (n.customer_id = ?
                            OR n.order_id IN (SELECT order_id FROM order_customers WHERE customer_id = ?))
                    RETURNING q.notification_id)
                UPDATE notifications n SET status = 'FAILED', last_error = 'customer erased'
                  FROM given_up g
                 WHERE n.notification_id = g.notification_id
                """, event.customerId().value(), event.customerId().value());
    }

    private void record(ReplayStatus replay, NotificationType type, String eventId, Instant at, UUID customerId,
                        UUID orderId, UUID shipmentId, String knownRecipient, String detail) {
        if (replay.isReplay()) {
            return;
        }
        NotificationId id = idFor(eventId, type);
        // The insert queues the notification (a statement trigger, V5__queue_on_insert.sql) only when it
        // records it: a redelivered event finds it there and queues nothing, though it may have been sent since.
        if (customerId != null && knownRecipient != null) {
            // Nothing to look up: a plain insert, which the driver folds with the batch's others into one.
            writes.update(id, """
                    INSERT INTO notifications (notification_id, source_event_id, type, customer_id, order_id,
                                               shipment_id, recipient, detail, status, attempts,
                                               created_at, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, now())
                    ON CONFLICT (notification_id) DO NOTHING
                    """, id.value(), eventId, type.name(), customerId, orderId, shipmentId, knownRecipient,
                    detail, java.sql.Timestamp.from(at));
            return;
        }
        // Reads only the contact copies (another processor's tables), so it may wait for the batch's commit.
        writes.update(id, """
                INSERT INTO notifications (notification_id, source_event_id, type, customer_id, order_id,
                                           shipment_id, recipient, detail, status, attempts,
                                           created_at, recorded_at)
                SELECT ?::uuid, ?::varchar, ?::varchar, r.customer_id, ?::uuid, ?::uuid,
                       COALESCE(?::varchar, c.email), ?::text, 'PENDING', 0, ?::timestamptz, now()
                  FROM (SELECT COALESCE(?::uuid, (SELECT customer_id FROM order_customers WHERE order_id = ?::uuid))
                               AS customer_id) r
                  LEFT JOIN customer_contacts c ON c.customer_id = r.customer_id
                ON CONFLICT (notification_id) DO NOTHING
                """, id.value(), eventId, type.name(), orderId, shipmentId, knownRecipient,
                detail, java.sql.Timestamp.from(at), customerId, orderId);
    }

    /** Deliberately keeps every notification; see the class comment. */
    @ResetHandler
    void reset() {
        log.info("Processor '{}' reset: notifications are kept, and replayed events will record none",
                PROCESSING_GROUP);
    }

    @QueryHandler
    NotificationPage handle(FindNotificationsQuery query, Actor actor) {
        // A customer lists only their own notifications (asking for another's gets none); staff, anyone's.
        Actor.ListScope scope = actor.listScope(query.customerId() == null ? null : query.customerId().value());
        if (!scope.visible()) {
            return new NotificationPage(List.of(), null);
        }
        StringBuilder sql = new StringBuilder("SELECT " + VIEW_COLUMNS + " FROM notifications WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (scope.customer() != null) {
            sql.append(" AND customer_id = ?");
            args.add(scope.customer());
        }
        if (query.after() != null) {
            sql.append(" AND (created_at, notification_id) > (?, ?)");
            args.add(java.sql.Timestamp.from(query.after().createdAt()));
            args.add(query.after().notificationId().value());
        }
        // One row more than asked tells whether a next page exists.
        sql.append(" ORDER BY created_at, notification_id LIMIT ?");
        args.add(query.limit() + 1);
        List<NotificationView> rows = jdbc.query(sql.toString(), NotificationProjection::view, args.toArray());
        if (rows.size() <= query.limit()) {
            return new NotificationPage(rows, null);
        }
        List<NotificationView> page = List.copyOf(rows.subList(0, query.limit()));
        NotificationView last = page.get(page.size() - 1);
        return new NotificationPage(page, new NotificationCursor(last.createdAt(), last.notificationId()));
    }

    private static NotificationView view(ResultSet rs, int row) throws SQLException {
        UUID customerId = rs.getObject("customer_id", UUID.class);
        return new NotificationView(new NotificationId(rs.getObject("notification_id", UUID.class)),
                customerId == null ? null : new CustomerId(customerId), rs.getString("recipient"),
                NotificationType.valueOf(rs.getString("type")), NotificationStatus.valueOf(rs.getString("status")),
                rs.getTimestamp("created_at").toInstant());
    }
}
