package org.orderly.api.order;

import java.time.Instant;

/** @param reason why, for REJECTED and CANCELLED; otherwise {@code null} */
public record OrderStatusChange(OrderStatus status, Instant at, String reason) {
}
