package org.orderly.command.catalog;

import org.orderly.api.catalog.ProductId;

/**
 * Which product holds which SKU: set-based validation on the command side. Claims join the transaction
 * of the command, so a claim exists exactly when the event that needs it was stored. SKUs are never
 * released: a discontinued product keeps its SKU, so old orders stay unambiguous.
 */
interface ProductSkuRegistry {

    /** Claims {@code sku} for {@code productId}; refuses with a conflict when another product holds it. */
    void claim(String sku, ProductId productId);
}
