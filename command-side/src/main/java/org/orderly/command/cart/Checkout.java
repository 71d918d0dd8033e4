package org.orderly.command.cart;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.cart.AddressUse;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLine;
import org.orderly.api.cart.CheckoutAddressChosenEvent;
import org.orderly.api.cart.CheckoutConfirmationRequestedEvent;
import org.orderly.api.cart.CheckoutConfirmedEvent;
import org.orderly.api.cart.CheckoutExpiredEvent;
import org.orderly.api.cart.CheckoutFailedEvent;
import org.orderly.api.cart.CheckoutId;
import org.orderly.api.cart.CheckoutShippingMethodChosenEvent;
import org.orderly.api.cart.CheckoutStartedEvent;
import org.orderly.api.cart.CheckoutStatus;
import org.orderly.api.cart.ChooseCheckoutAddressCommand;
import org.orderly.api.cart.ChooseCheckoutShippingMethodCommand;
import org.orderly.api.cart.CompleteCheckoutCommand;
import org.orderly.api.cart.ConfirmCheckoutCommand;
import org.orderly.api.cart.FailCheckoutCommand;
import org.orderly.api.cart.StartCheckoutCommand;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;

/**
 * A checkout session: a snapshot of a cart's lines and prices, the addresses and shipping method the customer
 * chooses, and then the one order it places. Only its customer changes it (to anyone else it does not exist).
 * <p>
 * A session expires {@code orderly.checkout.session-timeout} after it started unless confirmed before, through a
 * persisted deadline on the same deadline manager as the cart's expiry and the sagas. It holds nothing (no stock,
 * no payment) before it is confirmed, so expiring releases nothing; its cart stays as it was and a new session may
 * start from it.
 * <p>
 * Confirming moves it to CONFIRMING and answers the order to place, whose id is derived from the session's: a
 * second confirmation (a retry, another tab) answers the same order, and the order's event stream accepts its
 * placement once. The outcome arrives as {@link CompleteCheckoutCommand} or {@link FailCheckoutCommand} (from the
 * placement's refusal, or from the checkout confirmation saga once the order is confirmed or rejected). A session
 * that is CONFIRMING does not expire: its order is on its way.
 */
@Aggregate
class Checkout {

    static final String EXPIRY_DEADLINE = "checkout-expiry";

    @AggregateIdentifier
    private CheckoutId checkoutId;
    private CartId cartId;
    private CustomerId customerId;
    private CheckoutStatus status;
    private List<CartLine> lines;
    private Money itemsTotal;
    private PostalAddress shippingAddress;
    private PostalAddress billingAddress;
    private Money shippingCost;
    private Instant expiresAt;
    private String expiryDeadlineId;

    Checkout() {
        // for Axon
    }

    @CommandHandler
    Checkout(StartCheckoutCommand command, CheckoutProperties settings, DeadlineManager deadlines, Actor actor) {
        if (command.customerId() == null) {
            throw new RefusedException(Refusal.invalid("cartId", "must name a cart"));
        }
        actor.requireAccess(command.customerId().value(), command.cartId());
        if (command.lines() == null || command.lines().isEmpty() || command.itemsTotal() == null) {
            throw new RefusedException(Refusal.conflict("cartId", "Cart " + command.cartId()
                    + " is empty (or priced in several currencies): there is nothing to check out"));
        }
        Instant expires = GenericEventMessage.clock.instant().plus(settings.sessionTimeout())
                .truncatedTo(ChronoUnit.MILLIS);
        String deadlineId = deadlines.schedule(expires, EXPIRY_DEADLINE, new CheckoutExpiryDeadline(expires),
                new AggregateScopeDescriptor(Checkout.class.getSimpleName(), command.checkoutId().toString()));
        apply(new CheckoutStartedEvent(command.checkoutId(), command.cartId(), command.customerId(),
                List.copyOf(command.lines()), command.itemsTotal(), expires, deadlineId));
    }

    @CommandHandler
    void handle(ChooseCheckoutAddressCommand command, Actor actor) {
        requireOpen(actor);
        if (command.use() == null || command.addressId() == null) {
            throw new RefusedException(Refusal.invalid("addressId", "must name one of the customer's addresses"));
        }
        if (command.address() == null) {
            // asked after the access check, so that another customer's session answers as one that does not exist
            throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "addressId",
                    "Address " + command.addressId() + " is not one of the customer's"));
        }
        apply(new CheckoutAddressChosenEvent(checkoutId, customerId, command.use(), command.addressId(),
                command.address()));
    }

    @CommandHandler
    void handle(ChooseCheckoutShippingMethodCommand command, Actor actor) {
        requireOpen(actor);
        if (command.method() == null || command.cost() == null) {
            throw new RefusedException(Refusal.invalid("method", "must be one of the offered shipping methods"));
        }
        if (!command.cost().currency().equals(itemsTotal.currency())) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "method", "Shipping method "
                    + command.method() + " is priced in " + command.cost().currency() + ", the cart in "
                    + itemsTotal.currency()));
        }
        apply(new CheckoutShippingMethodChosenEvent(checkoutId, command.method(), command.cost()));
    }

    @CommandHandler
    CheckoutOrder handle(ConfirmCheckoutCommand command, DeadlineManager deadlines, Actor actor) {
        actor.requireAccess(customerId.value(), checkoutId);
        if (status == CheckoutStatus.CONFIRMING || status == CheckoutStatus.CONFIRMED) {
            return order(); // a repeated confirmation: the same order
        }
        requireOpen(actor);
        if (shippingAddress == null) {
            throw new RefusedException(Refusal.conflict("shippingAddress", "Checkout " + checkoutId
                    + " has no shipping address yet"));
        }
        if (billingAddress == null) {
            throw new RefusedException(Refusal.conflict("billingAddress", "Checkout " + checkoutId
                    + " has no billing address yet"));
        }
        if (shippingCost == null) {
            throw new RefusedException(Refusal.conflict("shippingMethod", "Checkout " + checkoutId
                    + " has no shipping method yet"));
        }
        cancelExpiry(deadlines);
        apply(new CheckoutConfirmationRequestedEvent(checkoutId, cartId, customerId, checkoutId.orderId()));
        return order();
    }

    @CommandHandler
    void handle(CompleteCheckoutCommand command) {
        if (status == CheckoutStatus.CONFIRMED) {
            return;
        }
        requireConfirming("complete");
        apply(new CheckoutConfirmedEvent(checkoutId, cartId, checkoutId.orderId()));
    }

    @CommandHandler
    void handle(FailCheckoutCommand command) {
        if (status == CheckoutStatus.FAILED) {
            return;
        }
        requireConfirming("fail");
        apply(new CheckoutFailedEvent(checkoutId, cartId,
                command.reason() == null || command.reason().isBlank() ? "the order was rejected" : command.reason()));
    }

    @DeadlineHandler(deadlineName = EXPIRY_DEADLINE)
    void on(CheckoutExpiryDeadline deadline) {
        if (status != CheckoutStatus.OPEN || !deadline.expiresAt().equals(expiresAt)) {
            return; // confirmed (or confirming) meanwhile: the deadline is spent
        }
        apply(new CheckoutExpiredEvent(checkoutId, cartId));
    }

    private CheckoutOrder order() {
        return new CheckoutOrder(checkoutId.orderId(), cartId, customerId, lines, shippingAddress, billingAddress,
                shippingCost);
    }

    private void requireOpen(Actor actor) {
        actor.requireAccess(customerId.value(), checkoutId);
        if (status != CheckoutStatus.OPEN) {
            throw new RefusedException(Refusal.conflict(null, "Checkout " + checkoutId + " is " + status
                    + (status == CheckoutStatus.EXPIRED ? ": start a new checkout from the cart" : "")
                    + " and can no longer be changed"));
        }
    }

    private void requireConfirming(String step) {
        if (status != CheckoutStatus.CONFIRMING) {
            throw new RefusedException(Refusal.conflict(null, "Cannot " + step + " checkout " + checkoutId
                    + ": it is " + status + ", not CONFIRMING"));
        }
    }

    private void cancelExpiry(DeadlineManager deadlines) {
        if (expiryDeadlineId != null) {
            deadlines.cancelSchedule(EXPIRY_DEADLINE, expiryDeadlineId);
        }
    }

    @EventSourcingHandler
    void on(CheckoutStartedEvent event) {
        checkoutId = event.checkoutId();
        cartId = event.cartId();
        customerId = event.customerId();
        status = CheckoutStatus.OPEN;
        lines = event.lines();
        itemsTotal = event.itemsTotal();
        expiresAt = event.expiresAt();
        expiryDeadlineId = event.expiryDeadlineId();
    }

    @EventSourcingHandler
    void on(CheckoutAddressChosenEvent event) {
        if (event.use() == AddressUse.SHIPPING) {
            shippingAddress = event.address();
        } else {
            billingAddress = event.address();
        }
    }

    @EventSourcingHandler
    void on(CheckoutShippingMethodChosenEvent event) {
        shippingCost = event.cost();
    }

    @EventSourcingHandler
    void on(CheckoutConfirmationRequestedEvent event) {
        status = CheckoutStatus.CONFIRMING;
        expiryDeadlineId = null;
    }

    @EventSourcingHandler
    void on(CheckoutConfirmedEvent event) {
        status = CheckoutStatus.CONFIRMED;
    }

    @EventSourcingHandler
    void on(CheckoutFailedEvent event) {
        status = CheckoutStatus.FAILED;
    }

    @EventSourcingHandler
    void on(CheckoutExpiredEvent event) {
        status = CheckoutStatus.EXPIRED;
        expiryDeadlineId = null;
    }
}
