package org.orderly.api.catalog;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Moves a category, with everything under it, under {@code parentId}; to the roots when it is null. Every category command goes to the one {@link CategoryTreeId#CATALOG} tree. */
public record MoveCategoryCommand(CategoryId categoryId, CategoryId parentId) {

    @TargetAggregateIdentifier
    public CategoryTreeId treeId() {
        return CategoryTreeId.CATALOG;
    }
}
