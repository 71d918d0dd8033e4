package org.orderly.api.returns;

import org.axonframework.serialization.Revision;
import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.PaymentId;

@Revision("1")
public record ReturnRefundedEvent(ReturnId returnId, OrderId orderId, PaymentId paymentId, Money refund) {
}
