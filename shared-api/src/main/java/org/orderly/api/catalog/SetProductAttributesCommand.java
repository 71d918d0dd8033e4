package org.orderly.api.catalog;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/**
 * Replaces the product's attributes with {@code attributes}. @param expectedVersion the version the client last
 * saw, or {@code null}
 */
public record SetProductAttributesCommand(@TargetAggregateIdentifier ProductId productId,
                                          List<ProductAttribute> attributes,
                                          @TargetAggregateVersion Long expectedVersion) {
}
