package org.orderly.api.inventory;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.order.OrderId;

/** Gives an order's reservation back; does nothing when the order holds none. */
public record ReleaseStockCommand(ProductId productId, OrderId orderId) {

    @TargetAggregateIdentifier
    public InventoryItemId inventoryItemId() {
        return productId == null ? null : new InventoryItemId(productId);
    }
}
