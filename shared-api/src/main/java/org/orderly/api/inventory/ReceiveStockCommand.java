package org.orderly.api.inventory;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;

/** Goods arrived; the first receipt of a product creates its inventory item. */
public record ReceiveStockCommand(ProductId productId, int quantity) {

    @TargetAggregateIdentifier
    public InventoryItemId inventoryItemId() {
        return productId == null ? null : new InventoryItemId(productId);
    }
}
