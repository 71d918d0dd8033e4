package org.orderly.api.payment;

import org.orderly.api.common.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Refunds part or all of a captured payment; all refunds together never exceed what was captured. */
public record RefundPaymentCommand(@TargetAggregateIdentifier PaymentId paymentId, Money amount) {
}
