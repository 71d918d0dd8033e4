package org.orderly.api.catalog;

/** Answered with every category of the tree as {@link CategoryView}s, parents before their children. */
public record FindCategoriesQuery() {
}
