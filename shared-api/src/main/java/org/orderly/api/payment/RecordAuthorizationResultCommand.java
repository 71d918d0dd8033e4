package org.orderly.api.payment;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The provider's answer to an authorization request. A late or duplicate answer changes nothing, except
 * that an approval arriving after the authorization was cancelled is voided at once.
 *
 * @param reason why the provider declined; ignored for an approval
 */
public record RecordAuthorizationResultCommand(@TargetAggregateIdentifier PaymentId paymentId, boolean approved,
                                               String reason) {
}
