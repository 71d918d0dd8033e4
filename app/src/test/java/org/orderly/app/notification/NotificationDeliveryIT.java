package org.orderly.app.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.NotificationTestSupport.uniqueEmail;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NotificationTestSupport;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.OrderlyHealth;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.query.notification.NotificationSender;
import org.orderly.query.notification.OutgoingNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The dispatcher against a sender whose behaviour depends on the recipient, with waits short enough
 * to watch retries happen: 6 attempts at most, 200 ms after the first failure, doubling up to 1 s.
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: close it, and its database, when the class is done
@Import(NotificationDeliveryIT.ScriptedSenderConfiguration.class)
@TestPropertySource(properties = {
        "orderly.notifications.poll-interval=50ms",
        "orderly.notifications.max-attempts=6",
        "orderly.notifications.backoff-base=200ms",
        "orderly.notifications.backoff-max=1s"})
class NotificationDeliveryIT {

    private static final int MAX_ATTEMPTS = 6;

    /** Fails the first two sends to {@code flaky-…} recipients and every send to {@code broken-…} ones. */
    static final class ScriptedSender implements NotificationSender {

        final Map<String, List<Instant>> calls = new ConcurrentHashMap<>();

        @Override
        public void send(OutgoingNotification notification) {
            List<Instant> previous = calls.computeIfAbsent(notification.notificationId().toString(),
                    id -> new CopyOnWriteArrayList<>());
            previous.add(Instant.now());
            if (notification.recipient().startsWith("broken-")) {
                throw new IllegalStateException("mailbox " + notification.recipient() + " rejected the message");
            }
            if (notification.recipient().startsWith("flaky-") && previous.size() <= 2) {
                throw new IllegalStateException("mail server busy");
            }
        }

        List<Instant> callsFor(String notificationId) {
            return calls.getOrDefault(notificationId, List.of());
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ScriptedSenderConfiguration {
        @Bean
        ScriptedSender scriptedSender() {
            return new ScriptedSender();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ScriptedSender sender;
    @Autowired
    EventGateway events;
    @Autowired
    DomainStores stores;
    @Autowired
    Configuration axon;
    @Autowired
    HealthContributorRegistry health;
    @Autowired
    MeterRegistry meters;
    JdbcTemplate notificationSchema;
    NotificationTestSupport notifications;

    @BeforeEach
    void setUp() {
        notificationSchema = stores.get("notification").jdbc();
        notifications = new NotificationTestSupport(new Identities(port), notificationSchema);
    }

    @Test
    void aSenderThatFailsTwiceIsRetriedWithGrowingWaitsAndTheThirdAttemptSends() {
        double sentBefore = meters.get("orderly.notifications.sent").counter().count();
        CustomerId customer = notifications.register(uniqueEmail("flaky-"));

        String id = notifications.awaitSent(customer, "CUSTOMER_WELCOME").get("notificationId").asText();

        Map<String, Object> row = notifications.row(id);
        assertThat(row.get("attempts")).isEqualTo(3);
        assertThat(row.get("sent_at")).isNotNull();
        assertThat(row.get("last_error")).isNull();
        List<Instant> calls = sender.callsFor(id);
        assertThat(calls).hasSize(3);
        assertThat(Duration.between(calls.get(0), calls.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(Duration.between(calls.get(1), calls.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(390));
        assertThat(meters.get("orderly.notifications.sent").counter().count()).isGreaterThan(sentBefore);
    }

    @Test
    void aNotificationThatKeepsFailingIsFailedAfterTheLastAttemptAndDegradesTheHealth() {
        CustomerId customer = notifications.register(uniqueEmail("broken-"));

        // Until its last attempt (about 3 s here) the notification is pending, and the gauge counts it.
        String waiting = notifications.awaitNotification(customer, "CUSTOMER_WELCOME",
                n -> n.get("status").asText().equals("PENDING")).get("notificationId").asText();
        // Read between two counts of the table that agree, the gauge is that count, this notification among them.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            long before = count("PENDING");
            double pending = meters.get("orderly.notifications.pending").gauge().value();
            long after = count("PENDING");
            assertThat(notifications.row(waiting).get("status")).as("still pending after the gauge was read")
                    .isEqualTo("PENDING");
            assertThat(after).isEqualTo(before).isPositive();
            assertThat(pending).as("the pending gauge").isEqualTo((double) before);
        });
        String id = notifications.awaitNotification(customer, "CUSTOMER_WELCOME",
                n -> n.get("status").asText().equals("FAILED")).get("notificationId").asText();

        Map<String, Object> row = notifications.row(id);
        assertThat(row.get("attempts")).isEqualTo(MAX_ATTEMPTS);
        assertThat(row.get("sent_at")).isNull();
        assertThat((String) row.get("last_error")).contains("rejected the message");
        assertThat(sender.callsFor(id)).hasSize(MAX_ATTEMPTS);
        Health status = ((HealthIndicator) health.getContributor("notifications")).health();
        assertThat(status.getStatus()).isEqualTo(OrderlyHealth.DEGRADED);
        assertThat((Long) status.getDetails().get("failed")).isPositive();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            long before = count("FAILED");
            double failed = meters.get("orderly.notifications.failed").gauge().value();
            long after = count("FAILED");
            assertThat(after).isEqualTo(before).isPositive();
            assertThat(failed).as("the failed gauge").isEqualTo((double) before);
        });
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> sender.callsFor(id).size() == MAX_ATTEMPTS);
    }

    @Test
    void aShipmentOfAnOrderNeverSeenHereFailsWithoutEverBeingSent() {
        OrderId unknown = OrderId.newId();
        ShipmentId shipment = ShipmentId.newId();

        events.publish(new ShipmentDispatchedEvent(shipment, unknown));

        Map<String, Object> row = awaitRow("shipment_id", shipment, r -> "FAILED".equals(r.get("status")));
        assertThat(row.get("attempts")).isEqualTo(MAX_ATTEMPTS);
        assertThat(row.get("customer_id")).isNull();
        assertThat(row.get("recipient")).isNull();
        assertThat((String) row.get("last_error")).contains(unknown.toString());
        assertThat(sender.callsFor(row.get("notification_id").toString())).isEmpty();
    }

    @Test
    void aRecipientCopiedAfterTheNotificationWasRecordedIsFoundAtSendTime() {
        StreamingEventProcessor contacts = processor("notification-contacts");
        contacts.shutDown();
        try {
            String email = uniqueEmail("late-");
            CustomerId customer = notifications.register(email);
            OrderId order = OrderId.newId();
            events.publish(new OrderConfirmedEvent(order, customer));

            Map<String, Object> waiting = awaitRow("order_id", order,
                    r -> ((Integer) r.get("attempts")) >= 1);
            assertThat(waiting.get("recipient")).as("no contact copy yet").isNull();
            assertThat(waiting.get("status")).isEqualTo("PENDING");
            assertThat((String) waiting.get("last_error")).contains("No email is known");

            contacts.start();
            Map<String, Object> sent = awaitRow("order_id", order, r -> "SENT".equals(r.get("status")));
            assertThat(sent.get("recipient")).isEqualTo(email);
            assertThat((Integer) sent.get("attempts")).isGreaterThanOrEqualTo(2);
        } finally {
            contacts.start();
        }
    }

    @Test
    void aReplayNeitherResendsNorRecreatesNotificationsAndRecordingCarriesOnAfterIt() {
        String email = uniqueEmail("replay-");
        CustomerId customer = notifications.register(email);
        events.publish(new OrderConfirmedEvent(OrderId.newId(), customer));
        String welcome = notifications.awaitSent(customer, "CUSTOMER_WELCOME").get("notificationId").asText();
        String confirmed = notifications.awaitSent(customer, "ORDER_CONFIRMED").get("notificationId").asText();
        ShipmentId lost = ShipmentId.newId();
        events.publish(new ShipmentDispatchedEvent(lost, OrderId.newId()));
        String failed = awaitRow("shipment_id", lost, r -> "FAILED".equals(r.get("status")))
                .get("notification_id").toString();
        // As a retention job would: the row of a sent notification is gone, but its event is not.
        CustomerId purgedCustomer = notifications.register(uniqueEmail("purged-"));
        String purged = notifications.awaitSent(purgedCustomer, "CUSTOMER_WELCOME").get("notificationId").asText();
        notificationSchema.update("DELETE FROM notifications WHERE notification_id = ?::uuid", purged);
        Map<String, Object> welcomeBefore = notifications.row(welcome);
        Map<String, Object> confirmedBefore = notifications.row(confirmed);
        Map<String, Object> failedBefore = notifications.row(failed);

        replay("notifications");

        assertThat(notifications.row(welcome)).isEqualTo(welcomeBefore);
        assertThat(notifications.row(confirmed)).isEqualTo(confirmedBefore);
        assertThat(notifications.row(failed)).isEqualTo(failedBefore);
        assertThat(notificationSchema.queryForObject(
                "SELECT count(*) FROM notifications WHERE notification_id = ?::uuid", Long.class, purged))
                .as("a replayed event records nothing").isZero();
        assertThat(sender.callsFor(welcome)).hasSize(1);
        assertThat(sender.callsFor(confirmed)).hasSize(1);
        assertThat(sender.callsFor(purged)).hasSize(1);
        assertThat(sender.callsFor(failed)).isEmpty();
        assertThat(notificationSchema.queryForObject("SELECT count(*) FROM dead_letter_entry", Long.class))
                .as("every replayed event was handled, none dead-lettered").isZero();

        events.publish(new OrderRejectedEvent(OrderId.newId(), customer, "Payment declined"));
        assertThat(notifications.awaitSent(customer, "ORDER_REJECTED").get("recipient").asText()).isEqualTo(email);
        assertThat(notifications.notificationsOf(customer)).hasSize(3);
    }

    @Test
    void aWaitingNotificationOfAnErasedCustomerIsGivenUpOnAndNeverSent() {
        // No contact copy of this customer: the notification waits for one, retrying.
        CustomerId customer = CustomerId.newId();
        OrderId order = OrderId.newId();
        events.publish(new OrderConfirmedEvent(order, customer));
        Map<String, Object> waiting = awaitRow("order_id", order, r -> ((Integer) r.get("attempts")) >= 1);
        assertThat(waiting.get("status")).isEqualTo("PENDING");
        String id = waiting.get("notification_id").toString();

        events.publish(new CustomerErasedEvent(customer));

        Map<String, Object> erased = awaitRow("order_id", order, r -> "FAILED".equals(r.get("status")));
        assertThat(erased.get("last_error")).isEqualTo("customer erased");
        assertThat(queueState(id)).isEqualTo("FAILED");
        int attempts = (Integer) erased.get("attempts");
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() ->
                notifications.row(id).get("attempts").equals(attempts) && "FAILED".equals(queueState(id)));
        assertThat(sender.callsFor(id)).isEmpty();
    }

    private String queueState(String notificationId) {
        return notificationSchema.queryForObject("SELECT state FROM notification_queue WHERE notification_id = ?::uuid",
                String.class, notificationId);
    }

    /**
     * Sending changes a notification's record only in columns no index covers, on a page with room for the new
     * version: every update is HOT (no new index entries), which PostgreSQL counts per table.
     */
    @Test
    void sendingABatchOfNotificationsUpdatesTheirRecordsInPlaceWithoutTouchingAnyIndex() {
        CustomerId customer = notifications.register(uniqueEmail("hot-"));
        notifications.awaitSent(customer, "CUSTOMER_WELCOME");
        UpdateCounts before = updateCounts();
        int orders = 40;
        for (int i = 0; i < orders; i++) {
            events.publish(new OrderConfirmedEvent(OrderId.newId(), customer));
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                notificationSchema.queryForObject("""
                        SELECT count(*) FROM notifications
                         WHERE customer_id = ? AND type = 'ORDER_CONFIRMED' AND status = 'SENT'
                        """, Long.class, customer.value()) == orders);

        // The dispatcher's connection reports its counts within a second or so of its last transaction.
        UpdateCounts[] after = new UpdateCounts[1];
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            after[0] = updateCounts();
            return after[0].updated() - before.updated() >= orders;
        });
        long updated = after[0].updated() - before.updated();
        long hot = after[0].hot() - before.hot();
        assertThat(hot).as("HOT updates among the %d updates of notifications", updated)
                .isGreaterThanOrEqualTo((long) Math.ceil(0.9 * updated));
        assertThat(notificationSchema.queryForObject("""
                SELECT count(*) FROM notification_queue q JOIN notifications n USING (notification_id)
                 WHERE n.customer_id = ?
                """, Long.class, customer.value())).as("sent notifications leave the queue").isZero();
    }

    record UpdateCounts(long updated, long hot) {
    }

    private UpdateCounts updateCounts() {
        return notificationSchema.queryForObject("""
                SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables
                 WHERE schemaname = 'notification' AND relname = 'notifications'
                """, (rs, row) -> new UpdateCounts(rs.getLong(1), rs.getLong(2)));
    }

    /**
     * Resets the processor's tokens to the start of the event stream and waits until it has replayed
     * everything. A segment leaves replay mode only on an event after the reset point, so markers
     * that no notification handler cares about are published until every segment has.
     */
    private void replay(String processingGroup) {
        StreamingEventProcessor processor = processor(processingGroup);
        processor.shutDown();
        processor.resetTokens();
        processor.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<Integer, EventTrackerStatus> status = processor.processingStatus();
            // Every segment claimed (their shares add up to the whole), whether or not it was split to catch up.
            double claimed = status.values().stream().mapToDouble(s -> 1.0 / (s.getSegment().getMask() + 1)).sum();
            boolean done = claimed > 0.999 && status.values().stream()
                    .allMatch(s -> !s.isReplaying() && !s.isErrorState());
            if (!done) {
                events.publish(NotificationTestSupport.orderPlaced(OrderId.newId(), CustomerId.newId()));
            }
            return done;
        });
    }

    private long count(String status) {
        return notificationSchema.queryForObject("SELECT count(*) FROM notifications WHERE status = ?", Long.class,
                status);
    }

    private StreamingEventProcessor processor(String processingGroup) {
        return axon.eventProcessingConfiguration()
                .eventProcessor(processingGroup, StreamingEventProcessor.class)
                .orElseThrow();
    }

    private Map<String, Object> awaitRow(String column, Object value,
                                         java.util.function.Predicate<Map<String, Object>> condition) {
        @SuppressWarnings("unchecked")
        Map<String, Object>[] found = new Map[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<Map<String, Object>> rows = notificationSchema.queryForList(
                    "SELECT * FROM notifications WHERE " + column + " = ?", value instanceof OrderId o ? o.value()
                            : value instanceof ShipmentId s ? s.value() : value);
            found[0] = rows.size() == 1 ? rows.get(0) : null;
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }
}
