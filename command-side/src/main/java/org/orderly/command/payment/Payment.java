package org.orderly.command.payment;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.payment.AuthorizationOutcome;
import org.orderly.api.payment.AuthorizePaymentCommand;
import org.orderly.api.payment.CancelPaymentAuthorizationCommand;
import org.orderly.api.payment.CapturePaymentCommand;
import org.orderly.api.payment.PaymentAuthorizationCancelledEvent;
import org.orderly.api.payment.PaymentAuthorizationRequestedEvent;
import org.orderly.api.payment.PaymentAuthorizedEvent;
import org.orderly.api.payment.PaymentCapturedEvent;
import org.orderly.api.payment.PaymentDeclinedEvent;
import org.orderly.api.payment.PaymentId;
import org.orderly.api.payment.PaymentRefundedEvent;
import org.orderly.api.payment.PaymentStatus;
import org.orderly.api.payment.PaymentVoidedEvent;
import org.orderly.api.payment.RecordAuthorizationResultCommand;
import org.orderly.api.payment.RefundPaymentCommand;
import org.orderly.api.payment.VoidPaymentCommand;

/**
 * A payment for an order: authorized by the provider (asynchronously, see {@link PaymentAuthorizer}),
 * then captured and refunded, or voided. The provider's answer is a command like any other, so a late or
 * repeated answer is decided here, under the payment's lock, against the payment's current stage.
 */
@Aggregate
class Payment {

    static final String DEFAULT_DECLINE_REASON = "Declined by the payment provider";

    /** Finer than the read model's status: a cancelled authorization must still tell a late answer apart. */
    enum Stage {
        AUTHORIZATION_PENDING("waiting for the provider's answer"),
        AUTHORIZATION_CANCELLED("cancelled before the provider answered"),
        AUTHORIZED("authorized"),
        DECLINED("declined"),
        CAPTURED("captured"),
        VOIDED("voided");

        private final String description;

        Stage(String description) {
            this.description = description;
        }
    }

    @AggregateIdentifier
    private PaymentId paymentId;
    private OrderId orderId;
    private Money amount;
    private Money refunded;
    private Stage stage;
    private String declineReason;
    /** References of refunds already made, so a redelivered refund refunds nothing. */
    private final java.util.Set<String> refunds = new java.util.HashSet<>();

    Payment() {
        // for Axon
    }

    /**
     * Requests the authorization, once: a repeated command (its sender lost the answer, or a crash lost the
     * provider call) adds no event. While the provider has not answered, it asks the provider again (the
     * provider call is idempotent by payment id); the answer says where the authorization stands.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    AuthorizationOutcome handle(AuthorizePaymentCommand command, PaymentAuthorizer authorizer) {
        if (paymentId != null) {
            if (!orderId.equals(command.orderId()) || !amount.equals(command.amount())) {
                throw new RefusedException(Refusal.conflict(null, "Payment " + paymentId
                        + " was requested for another order or amount"));
            }
            if (stage == Stage.AUTHORIZATION_PENDING) {
                authorizer.authorizeAfterCommit(paymentId, orderId, amount);
            }
            return outcome();
        }
        if (command.orderId() == null) {
            throw new RefusedException(Refusal.invalid("orderId", "must not be null"));
        }
        if (command.amount() == null || !command.amount().isPositive()) {
            throw new RefusedException(Refusal.invalid("amount", "must be positive"));
        }
        apply(new PaymentAuthorizationRequestedEvent(command.paymentId(), command.orderId(), command.amount()));
        authorizer.authorizeAfterCommit(command.paymentId(), command.orderId(), command.amount());
        return outcome();
    }

    private AuthorizationOutcome outcome() {
        return switch (stage) {
            case AUTHORIZATION_PENDING -> new AuthorizationOutcome(PaymentStatus.AUTHORIZATION_PENDING, null);
            case DECLINED -> new AuthorizationOutcome(PaymentStatus.DECLINED, declineReason);
            case CAPTURED -> new AuthorizationOutcome(PaymentStatus.CAPTURED, null);
            case AUTHORIZED -> new AuthorizationOutcome(PaymentStatus.AUTHORIZED, null);
            case AUTHORIZATION_CANCELLED, VOIDED -> new AuthorizationOutcome(PaymentStatus.VOIDED, null);
        };
    }

    @CommandHandler
    void handle(RecordAuthorizationResultCommand command) {
        if (stage == Stage.AUTHORIZATION_PENDING) {
            if (command.approved()) {
                apply(new PaymentAuthorizedEvent(paymentId, orderId, amount));
            } else {
                String reason = command.reason() == null || command.reason().isBlank()
                        ? DEFAULT_DECLINE_REASON : command.reason().strip();
                apply(new PaymentDeclinedEvent(paymentId, orderId, amount, reason));
            }
        } else if (stage == Stage.AUTHORIZATION_CANCELLED && command.approved()) {
            // The provider now holds money nobody wants: record what it did, then release it at once.
            apply(new PaymentAuthorizedEvent(paymentId, orderId, amount));
            apply(new PaymentVoidedEvent(paymentId, orderId));
        }
        // Any other answer is late or repeated: the payment has moved on and the answer changes nothing.
    }

    @CommandHandler
    void handle(CancelPaymentAuthorizationCommand command) {
        switch (stage) {
            case AUTHORIZATION_PENDING -> apply(new PaymentAuthorizationCancelledEvent(paymentId, orderId));
            case AUTHORIZED -> apply(new PaymentVoidedEvent(paymentId, orderId));
            case AUTHORIZATION_CANCELLED, DECLINED, VOIDED -> {
                // Nothing is held: the payment is already where the cancellation would take it.
            }
            case CAPTURED -> throw new RefusedException(Refusal.conflict(null,
                    "Payment " + paymentId + " was captured: its authorization can no longer be cancelled; refund it"));
        }
    }

    /** Capturing a captured payment again is a no-op: its sender may have lost the first answer. */
    @CommandHandler
    void handle(CapturePaymentCommand command) {
        if (stage == Stage.CAPTURED) {
            return;
        }
        requireStage(Stage.AUTHORIZED, "captured");
        apply(new PaymentCapturedEvent(paymentId, orderId, amount));
    }

    @CommandHandler
    void handle(RefundPaymentCommand command) {
        if (command.refundReference() != null && refunds.contains(command.refundReference())) {
            return;
        }
        Money refund = command.amount();
        if (refund == null || !refund.isPositive()) {
            throw new RefusedException(Refusal.invalid("amount", "must be positive"));
        }
        if (!refund.currency().equals(amount.currency())) {
            throw new RefusedException(Refusal.invalid("amount", "must be in " + amount.currency()
                    + ", the currency of the payment"));
        }
        requireStage(Stage.CAPTURED, "refunded");
        Money total = refunded.plus(refund);
        if (total.isGreaterThan(amount)) {
            throw new RefusedException(Refusal.conflict("amount", "Refunding " + refund + " would refund more than the "
                    + amount + " captured: at most " + amount.minus(refunded) + " remains"));
        }
        apply(new PaymentRefundedEvent(paymentId, orderId, refund, total, command.refundReference()));
    }

    @CommandHandler
    void handle(VoidPaymentCommand command) {
        requireStage(Stage.AUTHORIZED, "voided");
        apply(new PaymentVoidedEvent(paymentId, orderId));
    }

    private void requireStage(Stage required, String action) {
        if (stage != required) {
            throw new RefusedException(Refusal.conflict(null, "Payment " + paymentId + " cannot be " + action
                    + ": it is " + stage.description + ", not " + required.description));
        }
    }

    @EventSourcingHandler
    void on(PaymentAuthorizationRequestedEvent event) {
        paymentId = event.paymentId();
        orderId = event.orderId();
        amount = event.amount();
        refunded = Money.zero(event.amount().currency());
        stage = Stage.AUTHORIZATION_PENDING;
    }

    @EventSourcingHandler
    void on(PaymentAuthorizedEvent event) {
        stage = Stage.AUTHORIZED;
    }

    @EventSourcingHandler
    void on(PaymentDeclinedEvent event) {
        stage = Stage.DECLINED;
        declineReason = event.reason();
    }

    @EventSourcingHandler
    void on(PaymentAuthorizationCancelledEvent event) {
        stage = Stage.AUTHORIZATION_CANCELLED;
    }

    @EventSourcingHandler
    void on(PaymentCapturedEvent event) {
        stage = Stage.CAPTURED;
    }

    @EventSourcingHandler
    void on(PaymentRefundedEvent event) {
        refunded = event.totalRefunded();
        if (event.refundReference() != null) {
            refunds.add(event.refundReference());
        }
    }

    @EventSourcingHandler
    void on(PaymentVoidedEvent event) {
        stage = Stage.VOIDED;
    }
}
