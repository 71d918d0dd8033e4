package org.orderly.api.inventory;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.orderly.api.catalog.ProductId;

/**
 * Goods arrived; the first receipt of a product creates its inventory item.
 *
 * @param receiptReference identifies this receipt for its sender (a return restocking its goods): a second
 *                         receipt with the same reference is a redelivery and adds nothing; {@code null} for none
 */
public record ReceiveStockCommand(ProductId productId, int quantity, String receiptReference) {

    public ReceiveStockCommand(ProductId productId, int quantity) {
        this(productId, quantity, null);
    }

    @TargetAggregateIdentifier
    public InventoryItemId inventoryItemId() {
        return productId == null ? null : new InventoryItemId(productId);
    }
}
