package org.orderly.api.inventory;

import org.orderly.api.catalog.ProductId;

/**
 * @param available what can still be reserved: {@code onHand - reserved}, never negative
 * @param version   the sequence number of the inventory item's last event, served as the {@code ETag}
 */
public record StockView(ProductId productId, int onHand, int reserved, int available, long version) {
}
