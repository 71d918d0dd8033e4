package org.orderly.api.catalog;

import org.axonframework.serialization.Revision;

/** {@code parentId} is null for a root category. */
@Revision("1")
public record CategoryCreatedEvent(CategoryId categoryId, String name, CategoryId parentId) {
}
