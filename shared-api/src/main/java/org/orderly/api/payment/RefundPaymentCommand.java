package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Refunds part or all of a captured payment; all refunds together never exceed what was captured.
 *
 * @param refundReference identifies this refund for its sender (a return): a second refund with the same
 *                        reference is a redelivery and refunds nothing; {@code null} for none
 */
public record RefundPaymentCommand(@TargetAggregateIdentifier PaymentId paymentId, Money amount, String refundReference) {

    public RefundPaymentCommand(PaymentId paymentId, Money amount) {
        this(paymentId, amount, null);
    }
}
