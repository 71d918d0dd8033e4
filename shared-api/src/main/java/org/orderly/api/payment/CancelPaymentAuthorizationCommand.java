package org.orderly.api.payment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Gives up on a payment's authorization, typically when the provider has not answered in time: a pending
 * authorization is cancelled (a late approval is then voided at once), an authorized one is voided.
 */
public record CancelPaymentAuthorizationCommand(@TargetAggregateIdentifier PaymentId paymentId) {
}
