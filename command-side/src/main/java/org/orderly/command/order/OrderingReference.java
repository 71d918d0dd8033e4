package org.orderly.command.order;

import java.util.List;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerStatus;

/**
 * The order domain's cached copies of a customer and of products, with each copy's freshness.
 *
 * @param customer          the customer copy, or {@code null} when the order domain has none
 * @param products          the product copies found; a requested product that is missing has no entry
 * @param upToDate          whether every copy asked for reflects every event of its customer or product
 *                          stored before the question was answered (a missing copy then means "does not exist")
 * @param customerFreshness how far the customer copies' processor is behind the event store
 * @param productFreshness  how far the product copies' processor is behind the event store
 */
record OrderingReference(CustomerCopy customer, List<ProductCopy> products, boolean upToDate,
                                CopyFreshness customerFreshness, CopyFreshness productFreshness) {

    /** @param lastPosition global index of the last event applied to this copy */
    record CustomerCopy(CustomerId customerId, String email, CustomerStatus status, Money creditLimit,
                               long lastPosition) {
    }

    /** @param lastPosition global index of the last event applied to this copy */
    record ProductCopy(ProductId productId, String name, Money price, ProductStatus status,
                              long lastPosition) {
    }

    /**
     * @param eventsBehind events the copies' processor has still to handle
     * @param millisBehind how long the oldest of them has waited, or {@code null} when unknown
     */
    record CopyFreshness(long eventsBehind, Long millisBehind) {
    }
}
