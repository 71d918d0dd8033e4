package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.axonframework.serialization.Revision;

/**
 * @param totalRefunded   every refund of this payment so far, this one included
 * @param refundReference the sender's reference for this refund, or {@code null} (absent in older events)
 */
@Revision("1")
public record PaymentRefundedEvent(PaymentId paymentId, OrderId orderId, Money amount, Money totalRefunded,
                                   String refundReference) {

    public PaymentRefundedEvent(PaymentId paymentId, OrderId orderId, Money amount, Money totalRefunded) {
        this(paymentId, orderId, amount, totalRefunded, null);
    }
}
