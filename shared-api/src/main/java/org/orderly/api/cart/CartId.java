package org.orderly.api.cart;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import org.orderly.api.customer.CustomerId;

/**
 * Identity of a customer's cart. {@link #toString()} is the raw UUID, because Axon stores ids as strings.
 * <p>
 * A customer's carts are numbered, and the n-th cart's id is derived from the customer and n
 * ({@link #forCustomer}): two requests that both find no active cart and open one at once open the same cart,
 * so a customer never has two active carts.
 */
public record CartId(UUID value) {

    public CartId {
        Objects.requireNonNull(value, "value");
    }

    /** The id of {@code customer}'s cart number {@code ordinal} (0 for their first). */
    public static CartId forCustomer(CustomerId customer, long ordinal) {
        return new CartId(UUID.nameUUIDFromBytes(("cart:" + customer + ":" + ordinal).getBytes(StandardCharsets.UTF_8)));
    }

    public static CartId of(String value) {
        return new CartId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
