package org.orderly.api.inventory;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.order.OrderId;

/**
 * Reserves {@code quantity} for an order, all or nothing. Answered by a {@link StockReservedEvent} or a
 * {@link StockReservationRejectedEvent}; sending it again for the same order adds no event.
 */
public record ReserveStockCommand(ProductId productId, OrderId orderId, int quantity) {

    @TargetAggregateIdentifier
    public InventoryItemId inventoryItemId() {
        return productId == null ? null : new InventoryItemId(productId);
    }
}
