package org.orderly.api.order;

import java.util.List;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.customer.CustomerId;

/**
 * What the order domain's own cached copies say about a customer and some products, and how fresh those
 * copies are: checked before an order is placed. Answered with an {@link OrderingReference}.
 */
public record FindOrderingReferenceQuery(CustomerId customerId, List<ProductId> productIds) {
}
