package org.orderly.api.payment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Releases an authorization that was not captured. */
public record VoidPaymentCommand(@TargetAggregateIdentifier PaymentId paymentId) {
}
