package org.orderly.api.payment;

import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record PaymentVoidedEvent(PaymentId paymentId, OrderId orderId) {
}
