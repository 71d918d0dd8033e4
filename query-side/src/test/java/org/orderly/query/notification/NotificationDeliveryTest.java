package org.orderly.query.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.notification.NotificationId;
import org.orderly.api.notification.NotificationStatus;
import org.orderly.api.notification.NotificationType;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.ShipmentId;

class NotificationDeliveryTest {

    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(3));

    private final List<OutgoingNotification> sent = new ArrayList<>();
    private final NotificationDelivery delivery = new NotificationDelivery(sent::add, POLICY);

    @Test
    void aNotificationWithARecipientIsSentAndCountsTheAttempt() {
        DueNotification due = due("ada@example.com", 0);

        DeliveryOutcome outcome = delivery.attempt(due);

        assertThat(outcome).isEqualTo(new DeliveryOutcome(NotificationStatus.SENT, 1, null, null));
        assertThat(sent).containsExactly(due.outgoing());
        assertThat(sent.get(0).recipient()).isEqualTo("ada@example.com");
    }

    @Test
    void aFailedSendStaysPendingAndWaitsLongerAfterEachAttempt() {
        NotificationDelivery failing = new NotificationDelivery(n -> {
            throw new IllegalStateException("mail server down");
        }, POLICY);

        DeliveryOutcome first = failing.attempt(due("ada@example.com", 0));
        DeliveryOutcome second = failing.attempt(due("ada@example.com", 1));

        assertThat(first).isEqualTo(new DeliveryOutcome(NotificationStatus.PENDING, 1, Duration.ofSeconds(1),
                "IllegalStateException: mail server down"));
        assertThat(second.status()).isEqualTo(NotificationStatus.PENDING);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theLastAllowedAttemptFailingMakesTheNotificationFailed() {
        NotificationDelivery failing = new NotificationDelivery(n -> {
            throw new IllegalStateException("mail server down");
        }, POLICY);

        DeliveryOutcome outcome = failing.attempt(due("ada@example.com", 2));

        assertThat(outcome).isEqualTo(new DeliveryOutcome(NotificationStatus.FAILED, 3, null,
                "IllegalStateException: mail server down"));
    }

    @Test
    void aSendThatSucceedsOnTheLastAllowedAttemptIsSent() {
        assertThat(delivery.attempt(due("ada@example.com", 2)))
                .isEqualTo(new DeliveryOutcome(NotificationStatus.SENT, 3, null, null));
    }

    @Test
    void withoutARecipientNothingIsSentAndTheAttemptCountsAsFailed() {
        DeliveryOutcome outcome = delivery.attempt(due(null, 0));

        assertThat(sent).isEmpty();
        assertThat(outcome.status()).isEqualTo(NotificationStatus.PENDING);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(outcome.error()).startsWith("No email is known for customer");
    }

    @Test
    void aShipmentWhoseOrderIsStillUnknownFailsAfterTheLastAttemptNamingTheOrder() {
        OrderId order = OrderId.newId();
        DueNotification due = new DueNotification(new NotificationId(UUID.randomUUID()),
                NotificationType.SHIPMENT_DISPATCHED, null, null, order, ShipmentId.newId(), null, Instant.now(), 2);

        DeliveryOutcome outcome = delivery.attempt(due);

        assertThat(sent).isEmpty();
        assertThat(outcome.status()).isEqualTo(NotificationStatus.FAILED);
        assertThat(outcome.error()).contains(order.toString());
    }

    @Test
    void aVeryLongErrorIsCutToWhatTheTableHolds() {
        NotificationDelivery failing = new NotificationDelivery(n -> {
            throw new IllegalStateException("x".repeat(5000));
        }, POLICY);

        assertThat(failing.attempt(due("ada@example.com", 0)).error()).hasSize(1000);
    }

    private static DueNotification due(String recipient, int attempts) {
        return new DueNotification(new NotificationId(UUID.randomUUID()), NotificationType.ORDER_CONFIRMED,
                CustomerId.newId(), recipient, OrderId.newId(), null, null, Instant.parse("2026-01-02T03:04:05Z"),
                attempts);
    }
}
