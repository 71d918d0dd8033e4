package org.orderly.api.shipping;

import java.util.Objects;
import java.util.UUID;

/** Identity of a shipment. {@link #toString()} is the raw UUID, because Axon stores ids as strings. */
public record ShipmentId(UUID value) {

    public ShipmentId {
        Objects.requireNonNull(value, "value");
    }

    public static ShipmentId newId() {
        return new ShipmentId(UUID.randomUUID());
    }

    public static ShipmentId of(String value) {
        return new ShipmentId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
