package org.orderly.api.catalog;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A new category, a root when {@code parentId} is null. Every category command goes to the one {@link CategoryTreeId#CATALOG} tree. */
public record CreateCategoryCommand(CategoryId categoryId, String name, CategoryId parentId) {

    @TargetAggregateIdentifier
    public CategoryTreeId treeId() {
        return CategoryTreeId.CATALOG;
    }
}
