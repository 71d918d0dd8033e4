package org.orderly.api.shipping;

import org.orderly.api.catalog.ProductId;

/** One line of a shipment, with the product's weight as it was when the shipment was created. */
public record ShipmentItem(ProductId productId, int quantity, int weightGrams) {
}
