package org.orderly.api.returns;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;

/**
 * A returned product with the unit price snapshotted when the order was placed: the price the refund pays back.
 *
 * @param unitPrice {@code null} only for a line of a rejected return naming a product the order never held
 */
public record ReturnLine(ProductId productId, int quantity, Money unitPrice) {
}
