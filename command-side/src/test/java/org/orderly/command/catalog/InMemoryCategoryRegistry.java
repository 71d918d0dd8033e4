package org.orderly.command.catalog;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/** The registry's rules, without its tables: the JDBC registry is covered against PostgreSQL in CategoriesIT. */
final class InMemoryCategoryRegistry implements CategoryRegistry {

    final Set<CategoryId> categories = new HashSet<>();
    final Map<ProductId, CategoryId> products = new HashMap<>();

    @Override
    public void register(CategoryId categoryId) {
        categories.add(categoryId);
    }

    @Override
    public void retire(CategoryId categoryId) {
        if (products.containsValue(categoryId)) {
            throw new RefusedException(Refusal.conflict(null, "Category " + categoryId + " still has products"));
        }
        categories.remove(categoryId);
    }

    @Override
    public void assign(ProductId productId, CategoryId categoryId, String field) {
        if (!categories.contains(categoryId)) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, field,
                    "Category " + categoryId + " does not exist"));
        }
        products.put(productId, categoryId);
    }
}
