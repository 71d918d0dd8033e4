package org.orderly.api.catalog;

import java.util.Objects;
import java.util.UUID;

/** Identity of a product. {@link #toString()} is the raw UUID, because Axon stores ids as strings. */
public record ProductId(UUID value) {

    public ProductId {
        Objects.requireNonNull(value, "value");
    }

    public static ProductId newId() {
        return new ProductId(UUID.randomUUID());
    }

    public static ProductId of(String value) {
        return new ProductId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
