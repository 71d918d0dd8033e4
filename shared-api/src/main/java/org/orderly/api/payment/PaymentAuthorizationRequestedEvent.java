package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

/** The payment exists and waits for the provider's answer. */
@Revision("1")
public record PaymentAuthorizationRequestedEvent(PaymentId paymentId, OrderId orderId, Money amount) {
}
