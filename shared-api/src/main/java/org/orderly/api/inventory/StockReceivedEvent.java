package org.orderly.api.inventory;

import org.axonframework.serialization.Revision;
import org.orderly.api.catalog.ProductId;

/** @param receiptReference the sender's reference for this receipt, or {@code null} (absent in older events) */
@Revision("1")
public record StockReceivedEvent(ProductId productId, int quantity, String receiptReference) {

    public StockReceivedEvent(ProductId productId, int quantity) {
        this(productId, quantity, null);
    }
}
