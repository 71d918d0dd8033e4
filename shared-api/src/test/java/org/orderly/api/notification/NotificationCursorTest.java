package org.orderly.api.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class NotificationCursorTest {

    @Test
    void aCursorSurvivesTheRoundTripThroughItsText() {
        NotificationCursor cursor = new NotificationCursor(Instant.parse("2026-11-22T03:09:18.123456Z"),
                new NotificationId(UUID.randomUUID()));

        assertThat(NotificationCursor.of(cursor.toString())).isEqualTo(cursor);
    }

    @Test
    void textThatIsNotACursorIsRefused() {
        assertThatThrownBy(() -> NotificationCursor.of("not-a-cursor")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NotificationCursor.of("yesterday|" + UUID.randomUUID()))
                .isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> NotificationCursor.of("2026-11-22T03:09:18Z|nope"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
