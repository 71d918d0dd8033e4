package org.orderly.api.customer;

import java.util.Objects;
import java.util.UUID;

/** Identity of a customer. {@link #toString()} is the raw UUID, because Axon stores ids as strings. */
public record CustomerId(UUID value) {

    public CustomerId {
        Objects.requireNonNull(value, "value");
    }

    public static CustomerId newId() {
        return new CustomerId(UUID.randomUUID());
    }

    public static CustomerId of(String value) {
        return new CustomerId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
