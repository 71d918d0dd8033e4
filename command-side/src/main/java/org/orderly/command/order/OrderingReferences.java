package org.orderly.command.order;

import java.util.List;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.customer.CustomerId;

/** What an order placement decides on: the order domain's copies of its customer and products, and their freshness. */
interface OrderingReferences {

    /**
     * The copies of this customer and these products, once they reflect every event stored for them before the
     * call (or as they stand after a bounded wait, then with {@link OrderingReference#upToDate()} false).
     */
    OrderingReference lookUp(CustomerId customerId, List<ProductId> productIds);
}
