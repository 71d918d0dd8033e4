package org.orderly.api.catalog;

import org.axonframework.serialization.Revision;

@Revision("1")
public record CategoryRenamedEvent(CategoryId categoryId, String name) {
}
