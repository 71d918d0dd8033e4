package org.orderly.command.inventory;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAutoDetect;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.inventory.CommitStockCommand;
import org.orderly.api.inventory.InventoryItemId;
import org.orderly.api.inventory.ReceiveStockCommand;
import org.orderly.api.inventory.ReleaseStockCommand;
import org.orderly.api.inventory.ReservationOutcome;
import org.orderly.api.inventory.ReserveStockCommand;
import org.orderly.api.inventory.StockCommittedEvent;
import org.orderly.api.inventory.StockReceivedEvent;
import org.orderly.api.inventory.StockReleasedEvent;
import org.orderly.api.inventory.StockReservationRejectedEvent;
import org.orderly.api.inventory.StockReservedEvent;
import org.orderly.api.order.OrderId;

/**
 * The stock of one product: what is on hand and how much of it orders have reserved. Every decision
 * about one product is taken here, one command at a time, so {@code onHand - reserved} can never drop
 * below zero however many orders compete for the last units.
 * <p>
 * Each order's outcome is remembered, so the order saga may redeliver any command safely: a repeated
 * reservation, release or commit adds no event.
 */
@Aggregate(snapshotTriggerDefinition = InventoryConfiguration.SNAPSHOT_TRIGGER)
// Snapshots are this state as JSON: fields, not getters.
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
class InventoryItem {

    private record OrderStock(ReservationOutcome outcome, int quantity) {
    }

    @AggregateIdentifier
    private InventoryItemId inventoryItemId;
    private ProductId productId;
    private int onHand;
    private int reserved;
    /** What each order got, by order UUID (a plain key, so that a snapshot can name it). */
    private final Map<java.util.UUID, OrderStock> orders = new HashMap<>();
    /** References of receipts already booked, so a redelivered receipt adds nothing. */
    private final java.util.Set<String> receipts = new java.util.HashSet<>();

    InventoryItem() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(ReceiveStockCommand command) {
        if (command.receiptReference() != null && receipts.contains(command.receiptReference())) {
            return;
        }
        int quantity = quantity(command.quantity());
        if ((long) onHand + quantity > Integer.MAX_VALUE) {
            throw new RefusedException(Refusal.invalid("quantity",
                    "would take the stock on hand beyond " + Integer.MAX_VALUE));
        }
        apply(new StockReceivedEvent(command.productId(), quantity, command.receiptReference()));
    }

    /**
     * Answers with the order's outcome: the new one, or, to a repeated command, the one it already had, without
     * a second event. A sender that lost the first answer (a crash, an event it never saw) learns it this way.
     */
    @CommandHandler
    ReservationOutcome handle(ReserveStockCommand command) {
        OrderId orderId = orderId(command.orderId());
        int quantity = quantity(command.quantity());
        OrderStock known = orders.get(orderId.value());
        if (known != null) {
            // The same order asking for a different quantity is not a redelivery but a mistake worth seeing.
            if (known.quantity() != quantity) {
                throw new RefusedException(Refusal.conflict("quantity", "Order " + orderId + " already asked for "
                        + known.quantity() + " of product " + productId));
            }
            return known.outcome();
        }
        int available = onHand - reserved;
        if (available >= quantity) {
            apply(new StockReservedEvent(productId, orderId, quantity));
            return ReservationOutcome.RESERVED;
        }
        apply(new StockReservationRejectedEvent(productId, orderId, quantity, available));
        return ReservationOutcome.REJECTED;
    }

    @CommandHandler
    void handle(ReleaseStockCommand command) {
        OrderId orderId = orderId(command.orderId());
        OrderStock known = orders.get(orderId.value());
        if (known == null || known.outcome() != ReservationOutcome.RESERVED) {
            return;
        }
        apply(new StockReleasedEvent(productId, orderId, known.quantity()));
    }

    @CommandHandler
    void handle(CommitStockCommand command) {
        OrderId orderId = orderId(command.orderId());
        OrderStock known = orders.get(orderId.value());
        if (known != null && known.outcome() == ReservationOutcome.COMMITTED) {
            return;
        }
        if (known == null || known.outcome() != ReservationOutcome.RESERVED) {
            throw new RefusedException(Refusal.conflict("orderId",
                    "Order " + orderId + " holds no reservation of product " + productId));
        }
        apply(new StockCommittedEvent(productId, orderId, known.quantity()));
    }

    private static int quantity(int quantity) {
        if (quantity < 1) {
            throw new RefusedException(Refusal.invalid("quantity", "must be at least 1"));
        }
        return quantity;
    }

    private static OrderId orderId(OrderId orderId) {
        if (orderId == null) {
            throw new RefusedException(Refusal.invalid("orderId", "must not be null"));
        }
        return orderId;
    }

    @EventSourcingHandler
    void on(StockReceivedEvent event) {
        if (inventoryItemId == null) {
            inventoryItemId = new InventoryItemId(event.productId());
            productId = event.productId();
        }
        onHand += event.quantity();
        if (event.receiptReference() != null) {
            receipts.add(event.receiptReference());
        }
    }

    @EventSourcingHandler
    void on(StockReservedEvent event) {
        reserved += event.quantity();
        orders.put(event.orderId().value(), new OrderStock(ReservationOutcome.RESERVED, event.quantity()));
    }

    @EventSourcingHandler
    void on(StockReservationRejectedEvent event) {
        orders.put(event.orderId().value(), new OrderStock(ReservationOutcome.REJECTED, event.requested()));
    }

    @EventSourcingHandler
    void on(StockReleasedEvent event) {
        reserved -= event.quantity();
        orders.put(event.orderId().value(), new OrderStock(ReservationOutcome.RELEASED, event.quantity()));
    }

    @EventSourcingHandler
    void on(StockCommittedEvent event) {
        onHand -= event.quantity();
        reserved -= event.quantity();
        orders.put(event.orderId().value(), new OrderStock(ReservationOutcome.COMMITTED, event.quantity()));
    }
}
