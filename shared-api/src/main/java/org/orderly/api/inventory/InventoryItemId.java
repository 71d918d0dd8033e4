package org.orderly.api.inventory;

import java.util.Objects;

import org.orderly.api.catalog.ProductId;

/**
 * Identity of a product's inventory item in the event store. There is one item per product, but it
 * cannot share the product's identifier: the event store keys every stream by identifier and sequence
 * number alone, so the product's and the item's events would collide. {@link #toString()} is
 * {@code inventory:<product UUID>}.
 */
public record InventoryItemId(ProductId productId) {

    private static final String PREFIX = "inventory:";

    public InventoryItemId {
        Objects.requireNonNull(productId, "productId");
    }

    @Override
    public String toString() {
        return PREFIX + productId;
    }
}
