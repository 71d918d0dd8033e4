package org.orderly.command.shipping;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.CreateShipmentCommand;
import org.orderly.api.shipping.DispatchShipmentCommand;
import org.orderly.api.shipping.MarkShipmentDeliveredCommand;
import org.orderly.api.shipping.ShipmentCreatedEvent;
import org.orderly.api.shipping.ShipmentDeliveredEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentItem;
import org.orderly.api.shipping.ShipmentLine;
import org.orderly.api.shipping.ShipmentStatus;

/**
 * A shipment of an order's items: created, dispatched, delivered, in that order only. The items and
 * their weights are fixed at creation; nothing changes them afterwards. The shipping domain resolves the
 * weights itself, so whoever creates a shipment (the order saga) asks no read model for them.
 */
@Aggregate
class Shipment {

    @AggregateIdentifier
    private ShipmentId shipmentId;
    private OrderId orderId;
    private ShipmentStatus status;

    Shipment() {
        // for Axon
    }

    /**
     * Creates the shipment, with each line's weight as the catalog fixed it ({@link ProductWeights}). Sent
     * again for a shipment of the same order, it is a no-op: its sender may have lost the first answer.
     */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(CreateShipmentCommand command, ProductWeights weights) {
        if (shipmentId != null) {
            if (!orderId.equals(command.orderId())) {
                throw new RefusedException(Refusal.conflict(null, "Shipment " + shipmentId + " ships another order"));
            }
            return;
        }
        if (command.orderId() == null) {
            throw new RefusedException(Refusal.invalid("orderId", "must not be null"));
        }
        List<ShipmentLine> lines = command.lines();
        if (lines == null || lines.isEmpty()) {
            throw new RefusedException(Refusal.invalid("lines", "must contain at least one line"));
        }
        List<ShipmentItem> items = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            items.add(item(lines.get(i), "lines[" + i + "]", weights));
        }
        apply(new ShipmentCreatedEvent(command.shipmentId(), command.orderId(), List.copyOf(items)));
    }

    private static ShipmentItem item(ShipmentLine line, String field, ProductWeights weights) {
        if (line == null) {
            throw new RefusedException(Refusal.invalid(field, "must not be null"));
        }
        if (line.productId() == null) {
            throw new RefusedException(Refusal.invalid(field + ".productId", "must not be null"));
        }
        if (line.quantity() < 1) {
            throw new RefusedException(Refusal.invalid(field + ".quantity", "must be at least 1"));
        }
        int weight = weights.weightOf(line.productId()).orElseThrow(() -> new RefusedException(new Refusal(
                Refusal.Kind.UNPROCESSABLE, field + ".productId", "Product " + line.productId() + " does not exist")));
        return new ShipmentItem(line.productId(), line.quantity(), weight);
    }

    @CommandHandler
    void handle(DispatchShipmentCommand command) {
        requireStatus(ShipmentStatus.CREATED, "dispatched");
        apply(new ShipmentDispatchedEvent(shipmentId, orderId));
    }

    @CommandHandler
    void handle(MarkShipmentDeliveredCommand command) {
        requireStatus(ShipmentStatus.DISPATCHED, "marked delivered");
        apply(new ShipmentDeliveredEvent(shipmentId, orderId));
    }

    private void requireStatus(ShipmentStatus required, String action) {
        if (status != required) {
            throw new RefusedException(Refusal.conflict(null, "Shipment " + shipmentId + " cannot be " + action
                    + ": it is " + status + ", not " + required));
        }
    }

    @EventSourcingHandler
    void on(ShipmentCreatedEvent event) {
        shipmentId = event.shipmentId();
        orderId = event.orderId();
        status = ShipmentStatus.CREATED;
    }

    @EventSourcingHandler
    void on(ShipmentDispatchedEvent event) {
        status = ShipmentStatus.DISPATCHED;
    }

    @EventSourcingHandler
    void on(ShipmentDeliveredEvent event) {
        status = ShipmentStatus.DELIVERED;
    }
}
