package org.orderly.query.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.orderly.api.notification.NotificationType;

class NotificationRecordingTest {

    @Test
    void theSameEventAlwaysMapsToTheSameNotificationId() {
        String event = UUID.randomUUID().toString();

        assertThat(NotificationProjection.idFor(event, NotificationType.ORDER_CONFIRMED))
                .isEqualTo(NotificationProjection.idFor(event, NotificationType.ORDER_CONFIRMED));
    }

    @Test
    void differentEventsOrTypesMapToDifferentNotificationIds() {
        String event = UUID.randomUUID().toString();

        assertThat(NotificationProjection.idFor(event, NotificationType.ORDER_CONFIRMED))
                .isNotEqualTo(NotificationProjection.idFor(event, NotificationType.ORDER_REJECTED))
                .isNotEqualTo(NotificationProjection.idFor(UUID.randomUUID().toString(),
                        NotificationType.ORDER_CONFIRMED));
    }

    @Test
    void theBacklogIsHealthyOnlyWithoutFailuresAndWithoutOverduePendingNotifications() {
        Duration bound = Duration.ofMinutes(15);

        assertThat(new NotificationOutbox.Backlog(0, 0, Duration.ZERO).healthy(bound)).isTrue();
        assertThat(new NotificationOutbox.Backlog(3, 0, Duration.ofMinutes(15)).healthy(bound)).isTrue();
        assertThat(new NotificationOutbox.Backlog(3, 0, Duration.ofMinutes(16)).healthy(bound)).isFalse();
        assertThat(new NotificationOutbox.Backlog(0, 1, Duration.ZERO).healthy(bound)).isFalse();
    }
}
