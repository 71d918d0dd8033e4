package org.orderly.api.inventory;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.order.OrderId;

/** The order's reserved goods shipped: they leave stock on hand and the reservation ends. */
public record CommitStockCommand(ProductId productId, OrderId orderId) {

    @TargetAggregateIdentifier
    public InventoryItemId inventoryItemId() {
        return productId == null ? null : new InventoryItemId(productId);
    }
}
