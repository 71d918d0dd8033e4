package org.orderly.api.catalog;

import java.util.List;

/** A category with its ancestors (root first, the parent last) and its children (by name). */
public record CategoryFamily(CategoryView category, List<CategoryView> ancestors, List<CategoryView> children) {
}
