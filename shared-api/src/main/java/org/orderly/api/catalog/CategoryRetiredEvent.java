package org.orderly.api.catalog;

import org.axonframework.serialization.Revision;

/** The category left the tree; it had no sub-categories and no products. */
@Revision("1")
public record CategoryRetiredEvent(CategoryId categoryId) {
}
