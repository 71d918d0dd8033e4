package org.orderly.api.catalog;

/**
 * A category as the read model holds it. @param parentId null for a root @param version the sequence number of the
 * tree's last event that changed this category
 */
public record CategoryView(CategoryId categoryId, String name, CategoryId parentId, int depth, long version) {
}
