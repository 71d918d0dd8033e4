package org.orderly.command.returns;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderStatus;
import org.orderly.api.returns.ConfirmReturnReceiptCommand;
import org.orderly.api.returns.MarkReturnRefundedCommand;
import org.orderly.api.returns.MarkReturnRestockedCommand;
import org.orderly.api.returns.RejectReturnCommand;
import org.orderly.api.returns.RequestReturnCommand;
import org.orderly.api.returns.RequestedReturnLine;
import org.orderly.api.returns.ReturnApprovedEvent;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnLine;
import org.orderly.api.returns.ReturnReceivedEvent;
import org.orderly.api.returns.ReturnRefundedEvent;
import org.orderly.api.returns.ReturnRejectedEvent;
import org.orderly.api.returns.ReturnRequestedEvent;
import org.orderly.api.returns.ReturnRestockedEvent;
import org.orderly.api.returns.ReturnStatus;
import org.orderly.api.returns.ReturnableOrder;

/**
 * A customer's return of some of an order's delivered goods. The request is decided at once, from the returns
 * domain's copy of the order that the command carries: approved within {@code orderly.returns.window} of the
 * delivery when no line asks for more than was delivered less what approved returns already claim, otherwise
 * rejected with a reason. An approved return is received by the warehouse, restocked and refunded (the return
 * saga drives the last two). Repeating the step a return has already taken is harmless.
 */
@Aggregate
class ProductReturn {

    static final int MAX_LINES = 100;
    static final int MAX_REASON = 500;

    @AggregateIdentifier
    private ReturnId returnId;
    private OrderId orderId;
    private ReturnStatus status;
    private Money refund;
    private boolean restocked;

    ProductReturn() {
        // for Axon
    }

    @CommandHandler
    ProductReturn(RequestReturnCommand command, ReturnProperties settings, Actor actor) {
        ReturnableOrder order = command.order();
        if (order == null || order.orderId() == null) {
            throw new RefusedException(Refusal.invalid("orderId", "must be given"));
        }
        // Only the customer who placed the order (or staff) may return it; to anyone else it does not exist.
        actor.requireAccess(order.customerId() == null ? null : order.customerId().value(), order.orderId());
        if (command.reason() == null || command.reason().isBlank() || command.reason().length() > MAX_REASON) {
            throw new RefusedException(Refusal.invalid("reason", "must hold 1 to " + MAX_REASON + " characters"));
        }
        List<RequestedReturnLine> requested = command.lines();
        if (requested == null || requested.isEmpty() || requested.size() > MAX_LINES) {
            throw new RefusedException(Refusal.invalid("lines", "must hold 1 to " + MAX_LINES + " lines"));
        }
        Set<ProductId> seen = new HashSet<>();
        for (int i = 0; i < requested.size(); i++) {
            RequestedReturnLine line = requested.get(i);
            if (line == null || line.productId() == null) {
                throw new RefusedException(Refusal.invalid("lines[" + i + "].productId", "must be given"));
            }
            if (!seen.add(line.productId())) {
                throw new RefusedException(Refusal.invalid("lines[" + i + "].productId", "appears on more than one line"));
            }
            if (line.quantity() < 1) {
                throw new RefusedException(Refusal.invalid("lines[" + i + "].quantity", "must be at least 1"));
            }
        }
        if (order.status() == null) {
            throw new RefusedException(Refusal.notFound("Order " + order.orderId() + " does not exist"));
        }
        if (order.customerId() == null) {
            // The reason is sealed with the key of the order's customer; without one it could only be stored readable.
            throw new RefusedException(Refusal.conflict("orderId", "The returns domain's copy of order "
                    + order.orderId() + " does not name who placed it; rebuild the returns domain to copy it again"));
        }
        if (order.status() != OrderStatus.DELIVERED || order.deliveredAt() == null) {
            throw new RefusedException(Refusal.conflict("orderId", "Order " + order.orderId() + " is "
                    + order.status() + ": only a DELIVERED order's goods can be returned"));
        }

        Map<ProductId, ReturnableOrder.Line> delivered = order.lines().stream()
                .collect(Collectors.toMap(ReturnableOrder.Line::productId, Function.identity(), (a, b) -> a));
        List<ReturnLine> lines = new ArrayList<>();
        String rejection = null;
        Instant closes = order.deliveredAt().plus(settings.window());
        if (GenericEventMessage.clock.instant().isAfter(closes)) {
            rejection = "The return window of " + settings.window().toDays() + " days after delivery closed at " + closes;
        }
        for (RequestedReturnLine line : requested) {
            ReturnableOrder.Line ordered = delivered.get(line.productId());
            lines.add(new ReturnLine(line.productId(), line.quantity(), ordered == null ? null : ordered.unitPrice()));
            if (rejection != null) {
                continue;
            }
            if (ordered == null) {
                rejection = "Product " + line.productId() + " was not delivered with order " + order.orderId();
            } else if (line.quantity() > ordered.delivered() - ordered.returned()) {
                rejection = "Only " + Math.max(ordered.delivered() - ordered.returned(), 0) + " of the "
                        + ordered.delivered() + " delivered units of product " + line.productId()
                        + " can still be returned, not " + line.quantity();
            }
        }

        apply(new ReturnRequestedEvent(command.returnId(), order.orderId(), order.customerId(), List.copyOf(lines),
                command.reason().strip()));
        if (rejection != null) {
            apply(new ReturnRejectedEvent(command.returnId(), order.orderId(), rejection));
        } else {
            apply(new ReturnApprovedEvent(command.returnId(), order.orderId(), List.copyOf(lines), refundOf(lines)));
        }
    }

    private static Money refundOf(List<ReturnLine> lines) {
        Money total = null;
        for (ReturnLine line : lines) {
            Money lineTotal = line.unitPrice().times(line.quantity());
            total = total == null ? lineTotal : total.plus(lineTotal);
        }
        return total;
    }

    @CommandHandler
    void handle(ConfirmReturnReceiptCommand command) {
        switch (status) {
            case APPROVED -> apply(new ReturnReceivedEvent(returnId, orderId));
            case RECEIVED, REFUNDED -> { } // the warehouse said so before
            default -> throw new RefusedException(Refusal.conflict(null,
                    "Return " + returnId + " is " + status + ": there are no goods to receive"));
        }
    }

    @CommandHandler
    void handle(RejectReturnCommand command) {
        switch (status) {
            case APPROVED -> apply(new ReturnRejectedEvent(returnId, orderId,
                    command.reason() == null || command.reason().isBlank() ? "withdrawn" : command.reason().strip()));
            case REJECTED -> { }
            default -> throw new RefusedException(Refusal.conflict(null,
                    "Return " + returnId + " is " + status + " and can no longer be rejected"));
        }
    }

    @CommandHandler
    void handle(MarkReturnRestockedCommand command) {
        if (restocked) {
            return;
        }
        requireStatus(ReturnStatus.RECEIVED, "restock");
        apply(new ReturnRestockedEvent(returnId, orderId));
    }

    @CommandHandler
    void handle(MarkReturnRefundedCommand command) {
        if (status == ReturnStatus.REFUNDED) {
            return;
        }
        requireStatus(ReturnStatus.RECEIVED, "refund");
        if (!restocked) {
            throw new RefusedException(Refusal.conflict(null, "Return " + returnId + " is not restocked yet"));
        }
        apply(new ReturnRefundedEvent(returnId, orderId, command.paymentId(), refund));
    }

    private void requireStatus(ReturnStatus required, String step) {
        if (status != required) {
            throw new RefusedException(Refusal.conflict(null,
                    "Cannot " + step + " return " + returnId + ": it is " + status + ", not " + required));
        }
    }

    @EventSourcingHandler
    void on(ReturnRequestedEvent event) {
        returnId = event.returnId();
        orderId = event.orderId();
        status = ReturnStatus.REQUESTED;
    }

    @EventSourcingHandler
    void on(ReturnApprovedEvent event) {
        status = ReturnStatus.APPROVED;
        refund = event.refund();
    }

    @EventSourcingHandler
    void on(ReturnRejectedEvent event) {
        status = ReturnStatus.REJECTED;
    }

    @EventSourcingHandler
    void on(ReturnReceivedEvent event) {
        status = ReturnStatus.RECEIVED;
    }

    @EventSourcingHandler
    void on(ReturnRestockedEvent event) {
        restocked = true;
    }

    @EventSourcingHandler
    void on(ReturnRefundedEvent event) {
        status = ReturnStatus.REFUNDED;
    }
}
