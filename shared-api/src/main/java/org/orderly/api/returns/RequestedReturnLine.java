package org.orderly.api.returns;

import org.orderly.api.catalog.ProductId;

/** What a customer asks to send back: a product of the order and how many units. */
public record RequestedReturnLine(ProductId productId, int quantity) {
}
