package org.orderly.api.payment;

/**
 * Where a payment's authorization stands, as {@code AuthorizePaymentCommand} answers it: pending while the
 * provider has not answered, else the answer it gave (a repeated command tells its sender an answer it
 * may have missed).
 *
 * @param declineReason the provider's reason when declined, else {@code null}
 */
public record AuthorizationOutcome(PaymentStatus status, String declineReason) {
}
