package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

@Revision("1")
public record PaymentAuthorizedEvent(PaymentId paymentId, OrderId orderId, Money amount) {
}
