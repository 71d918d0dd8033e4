package org.orderly.api.returns;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.payment.PaymentId;

/** The payment has been refunded for the returned lines. Repeating it is harmless. */
public record MarkReturnRefundedCommand(@TargetAggregateIdentifier ReturnId returnId, PaymentId paymentId) {
}
