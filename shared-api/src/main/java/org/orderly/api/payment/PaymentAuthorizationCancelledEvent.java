package org.orderly.api.payment;

import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

/** A pending authorization was given up on; whatever the provider answers later is undone or ignored. */
@Revision("1")
public record PaymentAuthorizationCancelledEvent(PaymentId paymentId, OrderId orderId) {
}
