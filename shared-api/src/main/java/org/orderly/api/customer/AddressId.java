package org.orderly.api.customer;

import java.util.Objects;
import java.util.UUID;

/**
 * Identity of one of a customer's addresses, unique across customers. An address is named by its customer and
 * this id together ({@code /api/customers/{customerId}/addresses/{addressId}}): another domain that refers to one
 * (a checkout choosing where to ship) keeps both. {@link #toString()} is the raw UUID.
 */
public record AddressId(UUID value) {

    public AddressId {
        Objects.requireNonNull(value, "value");
    }

    public static AddressId newId() {
        return new AddressId(UUID.randomUUID());
    }

    public static AddressId of(String value) {
        return new AddressId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
