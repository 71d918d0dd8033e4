package org.orderly.api.catalog;

import org.axonframework.serialization.Revision;

/** The product is now in {@code categoryId} (and in no other). */
@Revision("1")
public record ProductCategorizedEvent(ProductId productId, CategoryId categoryId) {
}
