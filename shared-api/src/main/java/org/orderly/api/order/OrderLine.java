package org.orderly.api.order;

import org.orderly.api.common.Money;
import org.orderly.api.catalog.ProductId;

/** An order line with the product's name and unit price as they were when the order was placed. */
public record OrderLine(ProductId productId, String productName, int quantity, Money unitPrice) {
}
