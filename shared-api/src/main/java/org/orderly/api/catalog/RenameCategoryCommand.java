package org.orderly.api.catalog;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Every category command goes to the one {@link CategoryTreeId#CATALOG} tree. */
public record RenameCategoryCommand(CategoryId categoryId, String name) {

    @TargetAggregateIdentifier
    public CategoryTreeId treeId() {
        return CategoryTreeId.CATALOG;
    }
}
