package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;

/**
 * @param refunded every refund so far, zero in the payment's currency when none
 * @param version  the sequence number of the last event applied
 */
public record PaymentView(PaymentId paymentId, OrderId orderId, Money amount, PaymentStatus status, Money refunded,
                          long version) {
}
