package org.orderly.api.notification;

import java.util.Objects;
import java.util.UUID;

/** Identity of a notification. {@link #toString()} is the raw UUID, as for every other id. */
public record NotificationId(UUID value) {

    public NotificationId {
        Objects.requireNonNull(value, "value");
    }

    public static NotificationId of(String value) {
        return new NotificationId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
