package org.orderly.api.cart;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import org.orderly.api.order.OrderId;

/**
 * Identity of a checkout session. {@link #toString()} is the raw UUID.
 * <p>
 * The order a session places has an id derived from the session's ({@link #orderId()}): confirming a session twice
 * (a retry, a second tab) sends the same order placement, which the order's event stream accepts once.
 */
public record CheckoutId(UUID value) {

    public CheckoutId {
        Objects.requireNonNull(value, "value");
    }

    public static CheckoutId newId() {
        return new CheckoutId(UUID.randomUUID());
    }

    public static CheckoutId of(String value) {
        return new CheckoutId(UUID.fromString(value));
    }

    /** The id of the one order this session places. */
    public OrderId orderId() {
        return new OrderId(UUID.nameUUIDFromBytes(("order:checkout:" + value).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
