package org.orderly.command.order;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.axonframework.commandhandling.CommandHandler;
import org.orderly.api.common.Actor;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.CancelOrderCommand;
import org.orderly.api.order.ConfirmOrderCommand;
import org.orderly.api.order.MarkOrderDeliveredCommand;
import org.orderly.api.order.MarkOrderShippedCommand;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderDeliveredEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPlacedEvent;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.order.OrderShippedEvent;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.order.PlaceOrderCommand;
import org.orderly.api.order.RejectOrderCommand;

/**
 * An order and its life cycle. The lines arrive with the product names and prices snapshotted at
 * placement, so the order's total never moves when the catalog does. Repeating the step the order has
 * already taken (confirm a confirmed order) is harmless; any other out-of-turn step is refused.
 * <p>
 * An order placed from a checkout carries the session's addresses and shipping cost, and its total includes the
 * shipping cost, which the payment then takes.
 */
@Aggregate
class Order {

    static final int MAX_LINES = 100;

    @AggregateIdentifier
    private OrderId orderId;
    private CustomerId customerId;
    private OrderStatus status;

    Order() {
        // for Axon
    }

    @CommandHandler
    Order(PlaceOrderCommand command, Actor actor) {
        // a customer orders for themselves only; another customer looks as if they did not exist
        actor.requireAccess(command.customerId() == null ? null : command.customerId().value(), command.customerId());
        List<OrderLine> lines = command.lines();
        if (command.customerId() == null) {
            throw new RefusedException(Refusal.invalid("customerId", "must be given"));
        }
        if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new RefusedException(Refusal.invalid("lines", "must hold 1 to " + MAX_LINES + " lines"));
        }
        Set<ProductId> seen = new HashSet<>();
        Money total = null;
        for (int i = 0; i < lines.size(); i++) {
            OrderLine line = lines.get(i);
            if (!seen.add(line.productId())) {
                throw new RefusedException(Refusal.invalid("lines[" + i + "].productId", "appears on more than one line"));
            }
            if (line.quantity() < 1) {
                throw new RefusedException(Refusal.invalid("lines[" + i + "].quantity", "must be at least 1"));
            }
            if (line.unitPrice() == null || line.unitPrice().isNegative()) {
                throw new RefusedException(Refusal.invalid("lines[" + i + "].unitPrice", "must not be negative"));
            }
            if (total != null && !total.currency().equals(line.unitPrice().currency())) {
                throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "lines",
                        "All lines of an order must be priced in one currency"));
            }
            Money lineTotal = line.unitPrice().times(line.quantity());
            total = total == null ? lineTotal : total.plus(lineTotal);
        }
        Money shippingCost = command.shippingCost();
        if (shippingCost != null) {
            if (shippingCost.isNegative() || !shippingCost.currency().equals(total.currency())) {
                throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "shippingCost",
                        "must not be negative, and be priced in the lines' currency"));
            }
            total = total.plus(shippingCost);
        }
        apply(new OrderPlacedEvent(command.orderId(), command.customerId(), List.copyOf(lines), total,
                command.shippingAddress(), command.billingAddress(), shippingCost));
    }

    @CommandHandler
    void handle(ConfirmOrderCommand command) {
        if (status == OrderStatus.CONFIRMED) {
            return;
        }
        requireStatus(OrderStatus.PENDING, "confirm");
        apply(new OrderConfirmedEvent(orderId, customerId));
    }

    @CommandHandler
    void handle(RejectOrderCommand command) {
        if (status == OrderStatus.REJECTED) {
            return;
        }
        requireStatus(OrderStatus.PENDING, "reject");
        apply(new OrderRejectedEvent(orderId, customerId, reasonOr(command.reason(), "rejected")));
    }

    @CommandHandler
    void handle(CancelOrderCommand command, Actor actor) {
        actor.requireAccess(customerId.value(), orderId);
        switch (status) {
            case PENDING, CONFIRMED -> apply(new OrderCancelledEvent(orderId, customerId,
                    reasonOr(command.reason(), "cancelled by the customer")));
            case SHIPPED, DELIVERED -> throw new RefusedException(Refusal.conflict(null,
                    "Order " + orderId + " has been dispatched and can no longer be cancelled"));
            default -> throw new RefusedException(Refusal.conflict(null,
                    "Order " + orderId + " is already " + status.name().toLowerCase()));
        }
    }

    @CommandHandler
    void handle(MarkOrderShippedCommand command) {
        // Shipped already, or even delivered since: a saga repeating the step after a crash finds it done.
        if (status == OrderStatus.SHIPPED || status == OrderStatus.DELIVERED) {
            return;
        }
        requireStatus(OrderStatus.CONFIRMED, "ship");
        apply(new OrderShippedEvent(orderId, customerId));
    }

    @CommandHandler
    void handle(MarkOrderDeliveredCommand command) {
        if (status == OrderStatus.DELIVERED) {
            return;
        }
        requireStatus(OrderStatus.SHIPPED, "deliver");
        apply(new OrderDeliveredEvent(orderId, customerId));
    }

    private void requireStatus(OrderStatus required, String step) {
        if (status != required) {
            throw new RefusedException(Refusal.conflict(null,
                    "Cannot " + step + " order " + orderId + ": it is " + status + ", not " + required));
        }
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason.strip();
    }

    @EventSourcingHandler
    void on(OrderPlacedEvent event) {
        orderId = event.orderId();
        customerId = event.customerId();
        status = OrderStatus.PENDING;
    }

    @EventSourcingHandler
    void on(OrderConfirmedEvent event) {
        status = OrderStatus.CONFIRMED;
    }

    @EventSourcingHandler
    void on(OrderRejectedEvent event) {
        status = OrderStatus.REJECTED;
    }

    @EventSourcingHandler
    void on(OrderCancelledEvent event) {
        status = OrderStatus.CANCELLED;
    }

    @EventSourcingHandler
    void on(OrderShippedEvent event) {
        status = OrderStatus.SHIPPED;
    }

    @EventSourcingHandler
    void on(OrderDeliveredEvent event) {
        status = OrderStatus.DELIVERED;
    }
}
