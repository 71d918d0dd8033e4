package org.orderly.api.order;

import org.orderly.api.catalog.ProductId;

/** A product and how many of it, as a client asks for it: the order domain names and prices it. */
public record RequestedOrderLine(ProductId productId, int quantity) {
}
