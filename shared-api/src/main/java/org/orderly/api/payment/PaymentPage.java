package org.orderly.api.payment;

import java.util.List;

/** @param next the id to continue after, or {@code null} on the last page */
public record PaymentPage(List<PaymentView> items, PaymentId next) {
}
