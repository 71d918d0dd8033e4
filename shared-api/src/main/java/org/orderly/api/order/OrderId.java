package org.orderly.api.order;

import java.util.Objects;
import java.util.UUID;

/** Identity of an order. {@link #toString()} is the raw UUID, because Axon stores ids as strings. */
public record OrderId(UUID value) {

    public OrderId {
        Objects.requireNonNull(value, "value");
    }

    public static OrderId newId() {
        return new OrderId(UUID.randomUUID());
    }

    public static OrderId of(String value) {
        return new OrderId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
