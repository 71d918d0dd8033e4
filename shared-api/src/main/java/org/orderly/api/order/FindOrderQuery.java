package org.orderly.api.order;

/** Answered with an {@link OrderView}, or {@code null} when the read model has no such order. */
public record FindOrderQuery(OrderId orderId) {
}
