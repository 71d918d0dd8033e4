package org.orderly.command.payment;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.orderly.api.common.Money;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.PaymentId;

/**
 * A provider that needs no network and decides by the amount alone, so that every outcome, silence
 * included, can be reproduced on purpose: approved up to {@code decline-above}, declined above it, no
 * answer at all above {@code no-answer-above}, each answer after {@code answer-delay}.
 */
class SimulatedPaymentProvider implements PaymentProvider {

    private final PaymentSimulatorProperties settings;

    SimulatedPaymentProvider(PaymentSimulatorProperties settings) {
        this.settings = settings;
    }

    @Override
    public CompletableFuture<AuthorizationResult> authorize(PaymentId paymentId, OrderId orderId, Money amount) {
        BigDecimal value = amount.amount();
        if (value.compareTo(settings.noAnswerAbove()) > 0) {
            return new CompletableFuture<>();
        }
        AuthorizationResult result = value.compareTo(settings.declineAbove()) > 0
                ? AuthorizationResult.decline("Amount " + amount + " is above the limit of "
                        + settings.declineAbove().toPlainString())
                : AuthorizationResult.approval();
        Duration delay = settings.answerDelay();
        if (delay == null || delay.isZero() || delay.isNegative()) {
            return CompletableFuture.completedFuture(result);
        }
        // A timer, not a sleeping thread: many payments can wait at once.
        return CompletableFuture.supplyAsync(() -> result,
                CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
    }
}
