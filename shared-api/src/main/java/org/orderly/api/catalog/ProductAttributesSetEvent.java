package org.orderly.api.catalog;

import java.util.List;

import org.axonframework.serialization.Revision;

/** The product's attributes are now exactly these, each name once. */
@Revision("1")
public record ProductAttributesSetEvent(ProductId productId, List<ProductAttribute> attributes) {
}
