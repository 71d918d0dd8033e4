package org.orderly.api.notification;

import java.time.Instant;
import java.util.Objects;

/**
 * A position in the list of notifications, which is ordered by creation time and then by id.
 * {@link #toString()} and {@link #of(String)} round-trip, so it can travel as an opaque cursor.
 */
public record NotificationCursor(Instant createdAt, NotificationId notificationId) {

    private static final char SEPARATOR = '|';

    public NotificationCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(notificationId, "notificationId");
    }

    public static NotificationCursor of(String value) {
        int split = value.lastIndexOf(SEPARATOR);
        if (split < 0) {
            throw new IllegalArgumentException("Not a notification cursor: " + value);
        }
        return new NotificationCursor(Instant.parse(value.substring(0, split)),
                NotificationId.of(value.substring(split + 1)));
    }

    @Override
    public String toString() {
        return createdAt.toString() + SEPARATOR + notificationId;
    }
}
