package org.orderly.api.customer;

/**
 * One page of customers in a stable order. Answered with a {@link CustomerPage}.
 *
 * @param limit the page size, already capped by the caller
 * @param after the id of the last customer of the previous page, or {@code null} for the first page
 */
public record FindCustomersQuery(int limit, CustomerId after) {
}
