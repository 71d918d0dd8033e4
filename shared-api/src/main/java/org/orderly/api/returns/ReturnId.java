package org.orderly.api.returns;

import java.util.Objects;
import java.util.UUID;

/** Identity of a product return. {@link #toString()} is the raw UUID, because Axon stores ids as strings. */
public record ReturnId(UUID value) {

    public ReturnId {
        Objects.requireNonNull(value, "value");
    }

    public static ReturnId newId() {
        return new ReturnId(UUID.randomUUID());
    }

    public static ReturnId of(String value) {
        return new ReturnId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
