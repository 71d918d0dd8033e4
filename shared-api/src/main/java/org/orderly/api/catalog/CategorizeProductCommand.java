package org.orderly.api.catalog;

import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** Puts the product in {@code categoryId}. @param expectedVersion the version the client last saw, or {@code null} */
public record CategorizeProductCommand(@TargetAggregateIdentifier ProductId productId, CategoryId categoryId,
                                       @TargetAggregateVersion Long expectedVersion) {
}
