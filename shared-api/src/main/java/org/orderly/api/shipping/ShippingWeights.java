package org.orderly.api.shipping;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.orderly.api.catalog.ProductId;

/** A list rather than a map, so that it crosses a serializing query bus without key converters. */
public record ShippingWeights(List<ProductWeight> weights) {

    public ShippingWeights {
        weights = List.copyOf(weights);
    }

    /** Weight in grams by product. */
    public Map<ProductId, Integer> byProduct() {
        return weights.stream().collect(Collectors.toUnmodifiableMap(ProductWeight::productId,
                ProductWeight::weightGrams, (first, second) -> first));
    }
}
