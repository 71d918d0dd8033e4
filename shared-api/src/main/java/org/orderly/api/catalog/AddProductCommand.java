package org.orderly.api.catalog;

import org.orderly.api.common.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** @param categoryId the category to list the product in, or {@code null} for none yet */
public record AddProductCommand(@TargetAggregateIdentifier ProductId productId, String sku, String name, Money price,
                                int weightGrams, CategoryId categoryId) {

    public AddProductCommand(ProductId productId, String sku, String name, Money price, int weightGrams) {
        this(productId, sku, name, price, weightGrams, null);
    }
}
