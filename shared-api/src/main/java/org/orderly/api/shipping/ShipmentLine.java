package org.orderly.api.shipping;

import org.orderly.api.catalog.ProductId;

/** What to ship: a product and how many of it. The shipping domain adds the weight itself. */
public record ShipmentLine(ProductId productId, int quantity) {
}
