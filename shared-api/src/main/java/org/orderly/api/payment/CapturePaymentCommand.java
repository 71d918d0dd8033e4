package org.orderly.api.payment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Captures the whole authorized amount. */
public record CapturePaymentCommand(@TargetAggregateIdentifier PaymentId paymentId) {
}
