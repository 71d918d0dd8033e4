package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

/** The provider refused to hold the amount: a business outcome the order reacts to, not an error. */
@Revision("1")
public record PaymentDeclinedEvent(PaymentId paymentId, OrderId orderId, Money amount, String reason) {
}
