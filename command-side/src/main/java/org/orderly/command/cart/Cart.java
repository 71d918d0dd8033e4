package org.orderly.command.cart;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.cart.AddCartLineCommand;
import org.orderly.api.cart.CartCheckedOutEvent;
import org.orderly.api.cart.CartClearedEvent;
import org.orderly.api.cart.CartExpiredEvent;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLine;
import org.orderly.api.cart.CartLineAddedEvent;
import org.orderly.api.cart.CartLineQuantityChangedEvent;
import org.orderly.api.cart.CartLineRemovedEvent;
import org.orderly.api.cart.CartOpenedEvent;
import org.orderly.api.cart.CartStatus;
import org.orderly.api.cart.ChangeCartLineQuantityCommand;
import org.orderly.api.cart.CheckOutCartCommand;
import org.orderly.api.cart.ClearCartCommand;
import org.orderly.api.cart.OpenCartCommand;
import org.orderly.api.cart.RemoveCartLineCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;

/**
 * A customer's cart: products and quantities, each with the price it had when it was added. Only its customer
 * changes it (to anyone else it does not exist); staff read it on the query side.
 * <p>
 * A cart expires after {@code orderly.cart.idle-timeout} without a change. Each change schedules a persisted
 * deadline (Axon's db-scheduler deadline manager, which survives a restart) for the new expiry and cancels the
 * previous one; the events carry the deadline's id, since an event-sourced cart knows only what its events say.
 * A deadline that fires for an expiry a later change has moved is ignored. An EXPIRED or CHECKED_OUT cart changes
 * no more (409).
 * <p>
 * Whether a product may go into the cart (it exists, it is not discontinued) and at what price is decided before
 * the command, on the cart domain's copy of the catalog; the command carries the price.
 */
@Aggregate
class Cart {

    static final String IDLE_DEADLINE = "cart-idle";
    static final int MAX_LINES = 100;
    static final int MAX_QUANTITY = 10_000;

    @AggregateIdentifier
    private CartId cartId;
    private CustomerId customerId;
    private CartStatus status;
    private final Map<ProductId, CartLine> lines = new LinkedHashMap<>();
    private Instant expiresAt;
    private String expiryDeadlineId;

    Cart() {
        // for Axon
    }

    @CommandHandler
    Cart(OpenCartCommand command, CartProperties settings, DeadlineManager deadlines, Actor actor) {
        if (command.customerId() == null) {
            throw new RefusedException(Refusal.invalid("customerId", "must be given"));
        }
        actor.requireAccess(command.customerId().value(), command.cartId());
        Instant expires = expiry(settings);
        apply(new CartOpenedEvent(command.cartId(), command.customerId(), expires,
                schedule(deadlines, command.cartId(), expires)));
    }

    @CommandHandler
    void handle(AddCartLineCommand command, CartProperties settings, DeadlineManager deadlines, Actor actor) {
        requireChangeable(actor);
        if (command.productId() == null) {
            throw new RefusedException(Refusal.invalid("productId", "must be given"));
        }
        if (command.unitPrice() == null) {
            throw new RefusedException(Refusal.invalid("productId", "has no price"));
        }
        CartLine line = lines.get(command.productId());
        int already = line == null ? 0 : line.quantity();
        if (command.quantity() < 1 || already + command.quantity() > MAX_QUANTITY) {
            throw new RefusedException(Refusal.invalid("quantity", "must be at least 1, and the line at most "
                    + MAX_QUANTITY + " (it holds " + already + ")"));
        }
        if (line == null && lines.size() >= MAX_LINES) {
            throw new RefusedException(Refusal.conflict("productId", "A cart holds at most " + MAX_LINES + " products"));
        }
        Instant expires = expiry(settings);
        apply(new CartLineAddedEvent(cartId, command.productId(), command.quantity(), command.unitPrice(), expires,
                reschedule(deadlines, expires)));
    }

    @CommandHandler
    void handle(ChangeCartLineQuantityCommand command, CartProperties settings, DeadlineManager deadlines,
                Actor actor) {
        requireChangeable(actor);
        requireLine(command.productId());
        if (command.quantity() < 1 || command.quantity() > MAX_QUANTITY) {
            throw new RefusedException(Refusal.invalid("quantity", "must be 1 to " + MAX_QUANTITY
                    + " (remove the line to take the product out)"));
        }
        Instant expires = expiry(settings);
        apply(new CartLineQuantityChangedEvent(cartId, command.productId(), command.quantity(), expires,
                reschedule(deadlines, expires)));
    }

    @CommandHandler
    void handle(RemoveCartLineCommand command, CartProperties settings, DeadlineManager deadlines, Actor actor) {
        requireChangeable(actor);
        requireLine(command.productId());
        Instant expires = expiry(settings);
        apply(new CartLineRemovedEvent(cartId, command.productId(), expires, reschedule(deadlines, expires)));
    }

    /** Clearing an empty cart still counts as activity: the customer is there. */
    @CommandHandler
    void handle(ClearCartCommand command, CartProperties settings, DeadlineManager deadlines, Actor actor) {
        requireChangeable(actor);
        Instant expires = expiry(settings);
        apply(new CartClearedEvent(cartId, expires, reschedule(deadlines, expires)));
    }

    @CommandHandler
    void handle(CheckOutCartCommand command, DeadlineManager deadlines, Actor actor) {
        if (status == CartStatus.CHECKED_OUT) {
            actor.requireAccess(customerId.value(), cartId);
            return;
        }
        requireChangeable(actor);
        if (lines.isEmpty()) {
            throw new RefusedException(Refusal.conflict(null, "Cart " + cartId + " is empty: there is nothing to check out"));
        }
        cancel(deadlines);
        apply(new CartCheckedOutEvent(cartId, customerId, List.copyOf(new ArrayList<>(lines.values()))));
    }

    @DeadlineHandler(deadlineName = IDLE_DEADLINE)
    void on(CartIdleDeadline deadline) {
        if (status != CartStatus.ACTIVE || expiresAt == null || !expiresAt.equals(deadline.expiresAt())) {
            return; // a change moved the expiry, or the cart was closed: this deadline is spent
        }
        apply(new CartExpiredEvent(cartId, customerId));
    }

    private void requireChangeable(Actor actor) {
        actor.requireAccess(customerId.value(), cartId);
        if (status != CartStatus.ACTIVE) {
            throw new RefusedException(Refusal.conflict(null, "Cart " + cartId + " is " + status
                    + (status == CartStatus.EXPIRED ? ": it went unchanged too long; open a new cart" : "")
                    + " and can no longer be changed"));
        }
    }

    private void requireLine(ProductId productId) {
        if (productId == null) {
            throw new RefusedException(Refusal.invalid("productId", "must be given"));
        }
        if (!lines.containsKey(productId)) {
            throw new RefusedException(Refusal.notFound("Product " + productId + " is not in cart " + cartId));
        }
    }

    /** Millisecond precision: the expiry travels in events and in the deadline, and must compare equal after both. */
    private static Instant expiry(CartProperties settings) {
        return GenericEventMessage.clock.instant().plus(settings.idleTimeout()).truncatedTo(ChronoUnit.MILLIS);
    }

    private String reschedule(DeadlineManager deadlines, Instant expires) {
        cancel(deadlines);
        return schedule(deadlines, cartId, expires);
    }

    private void cancel(DeadlineManager deadlines) {
        if (expiryDeadlineId != null) {
            deadlines.cancelSchedule(IDLE_DEADLINE, expiryDeadlineId);
        }
    }

    /** Scheduled for this cart explicitly: an opening cart has no identifier, hence no scope, until its event applies. */
    private static String schedule(DeadlineManager deadlines, CartId cartId, Instant expires) {
        return deadlines.schedule(expires, IDLE_DEADLINE, new CartIdleDeadline(expires),
                new AggregateScopeDescriptor(Cart.class.getSimpleName(), cartId.toString()));
    }

    @EventSourcingHandler
    void on(CartOpenedEvent event) {
        cartId = event.cartId();
        customerId = event.customerId();
        status = CartStatus.ACTIVE;
        expiresAt = event.expiresAt();
        expiryDeadlineId = event.expiryDeadlineId();
    }

    @EventSourcingHandler
    void on(CartLineAddedEvent event) {
        CartLine line = lines.get(event.productId());
        int quantity = (line == null ? 0 : line.quantity()) + event.quantity();
        lines.put(event.productId(), new CartLine(event.productId(), quantity, event.unitPrice()));
        touched(event.expiresAt(), event.expiryDeadlineId());
    }

    @EventSourcingHandler
    void on(CartLineQuantityChangedEvent event) {
        CartLine line = lines.get(event.productId());
        lines.put(event.productId(), new CartLine(event.productId(), event.quantity(), line.unitPrice()));
        touched(event.expiresAt(), event.expiryDeadlineId());
    }

    @EventSourcingHandler
    void on(CartLineRemovedEvent event) {
        lines.remove(event.productId());
        touched(event.expiresAt(), event.expiryDeadlineId());
    }

    @EventSourcingHandler
    void on(CartClearedEvent event) {
        lines.clear();
        touched(event.expiresAt(), event.expiryDeadlineId());
    }

    @EventSourcingHandler
    void on(CartExpiredEvent event) {
        status = CartStatus.EXPIRED;
        expiryDeadlineId = null;
    }

    @EventSourcingHandler
    void on(CartCheckedOutEvent event) {
        status = CartStatus.CHECKED_OUT;
        expiryDeadlineId = null;
    }

    private void touched(Instant expires, String deadlineId) {
        expiresAt = expires;
        expiryDeadlineId = deadlineId;
    }
}
