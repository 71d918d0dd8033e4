package org.orderly.api.catalog;

import org.axonframework.serialization.Revision;

/** The category and everything under it now hang under {@code parentId}; a root when it is null. */
@Revision("1")
public record CategoryMovedEvent(CategoryId categoryId, CategoryId parentId) {
}
