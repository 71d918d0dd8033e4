package org.orderly.api.cart;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;

/**
 * A cart line as the cart domain's copies of the catalog and of inventory show it now.
 *
 * @param name          the product's current name, {@code null} while the catalog copy lacks it
 * @param unitPrice     the product's current price (the price when added while the copy lacks it)
 * @param addedPrice    the price when the product was last added
 * @param priceChanged  whether the current price differs from {@code addedPrice}
 * @param lineTotal     {@code unitPrice} times {@code quantity}
 * @param available     units inventory shows available (on hand less reserved), {@code null} when it knows none
 * @param beyondStock   whether {@code quantity} is more than {@code available} (none known counts as none
 *                      available): allowed, but flagged
 * @param discontinued  whether the product was discontinued after it was added
 */
public record CartLineView(ProductId productId, String name, int quantity, Money unitPrice, Money addedPrice,
                           boolean priceChanged, Money lineTotal, Integer available, boolean beyondStock,
                           boolean discontinued) {
}
