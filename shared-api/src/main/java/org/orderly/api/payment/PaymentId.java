package org.orderly.api.payment;

import java.util.Objects;
import java.util.UUID;

/** Identity of a payment. {@link #toString()} is the raw UUID, because Axon stores ids as strings. */
public record PaymentId(UUID value) {

    public PaymentId {
        Objects.requireNonNull(value, "value");
    }

    public static PaymentId newId() {
        return new PaymentId(UUID.randomUUID());
    }

    public static PaymentId of(String value) {
        return new PaymentId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
