package org.orderly.api.payment;

/** Answered with a {@link PaymentView}, or {@code null} when the read model has no such payment. */
public record FindPaymentQuery(PaymentId paymentId) {
}
