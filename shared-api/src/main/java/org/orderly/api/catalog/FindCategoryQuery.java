package org.orderly.api.catalog;

/** Answered with a {@link CategoryFamily}, or {@code null} when the read model has no such category. */
public record FindCategoryQuery(CategoryId categoryId) {
}
