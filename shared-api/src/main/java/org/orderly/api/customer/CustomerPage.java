package org.orderly.api.customer;

import java.util.List;

/** @param next the id to continue after, or {@code null} on the last page */
public record CustomerPage(List<CustomerView> items, CustomerId next) {
}
