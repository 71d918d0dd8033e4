package org.orderly.api.shipping;

import java.util.List;

import org.orderly.api.catalog.ProductId;

/**
 * The shipping domain's copies of these products' weights. Answered with {@link ShippingWeights}, which
 * leaves out every product the shipping domain has no copy of.
 */
public record FindShippingWeightsQuery(List<ProductId> productIds) {
}
