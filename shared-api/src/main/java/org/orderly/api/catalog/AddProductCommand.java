package org.orderly.api.catalog;

import org.orderly.api.common.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddProductCommand(@TargetAggregateIdentifier ProductId productId, String sku, String name, Money price, int weightGrams) {
}
