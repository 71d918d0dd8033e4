package org.orderly.command.payment;

import java.util.concurrent.CompletableFuture;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.PaymentId;

/**
 * The payment provider, as the payment domain needs it. Declaring a bean of this type plugs a real
 * provider in; without one, {@link SimulatedPaymentProvider} answers.
 */
public interface PaymentProvider {

    /**
     * Asks the provider to hold {@code amount} for a payment. It is called on a thread of its own, never
     * while the payment is locked, but it should still not block: the answer comes through the future,
     * which may complete on any thread, or never when the provider does not answer.
     *
     * @param paymentId the idempotency key: asking twice for one payment must not hold the amount twice
     */
    CompletableFuture<AuthorizationResult> authorize(PaymentId paymentId, OrderId orderId, Money amount);

    /** @param reason why the provider declined, {@code null} for an approval */
    record AuthorizationResult(boolean approved, String reason) {

        public static AuthorizationResult approval() {
            return new AuthorizationResult(true, null);
        }

        public static AuthorizationResult decline(String reason) {
            return new AuthorizationResult(false, reason);
        }
    }
}
