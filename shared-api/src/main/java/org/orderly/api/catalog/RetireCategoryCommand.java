package org.orderly.api.catalog;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Removes a category that has neither sub-categories nor products. Every category command goes to the one {@link CategoryTreeId#CATALOG} tree. */
public record RetireCategoryCommand(CategoryId categoryId) {

    @TargetAggregateIdentifier
    public CategoryTreeId treeId() {
        return CategoryTreeId.CATALOG;
    }
}
