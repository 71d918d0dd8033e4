package org.orderly.command.shipping;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.List;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
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
import org.orderly.api.shipping.ShipmentStatus;

/**
 * A shipment of an order's items: created, dispatched, delivered, in that order only. The items and
 * their weights are fixed at creation; nothing changes them afterwards.
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

    @CommandHandler
    Shipment(CreateShipmentCommand command) {
        if (command.orderId() == null) {
            throw new RefusedException(Refusal.invalid("orderId", "must not be null"));
        }
        List<ShipmentItem> items = command.items();
        if (items == null || items.isEmpty()) {
            throw new RefusedException(Refusal.invalid("items", "must contain at least one item"));
        }
        for (int i = 0; i < items.size(); i++) {
            requireValid(items.get(i), "items[" + i + "]");
        }
        apply(new ShipmentCreatedEvent(command.shipmentId(), command.orderId(), List.copyOf(items)));
    }

    private static void requireValid(ShipmentItem item, String field) {
        if (item == null) {
            throw new RefusedException(Refusal.invalid(field, "must not be null"));
        }
        if (item.productId() == null) {
            throw new RefusedException(Refusal.invalid(field + ".productId", "must not be null"));
        }
        if (item.quantity() < 1) {
            throw new RefusedException(Refusal.invalid(field + ".quantity", "must be at least 1"));
        }
        if (item.weightGrams() < 0) {
            throw new RefusedException(Refusal.invalid(field + ".weightGrams", "must not be negative"));
        }
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
