package org.orderly.command.catalog;

import java.util.List;

import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The registry in the main database, next to the event store, so that each change commits with its event. Races
 * between a retirement and an assignment are decided by row locks: an assignment takes a key-share lock on the
 * category's row, which a retirement's exclusive lock waits for (and the other way round). Whichever commits
 * first wins; the other then sees its outcome: the retirement finds the product, or the assignment finds no
 * category. The foreign key backs the same rule should any other writer forget it.
 */
@Component
class JdbcCategoryRegistry implements CategoryRegistry {

    private final JdbcTemplate jdbc;

    JdbcCategoryRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void register(CategoryId categoryId) {
        jdbc.update("INSERT INTO catalog_registry.category (category_id) VALUES (?) ON CONFLICT DO NOTHING",
                categoryId.value());
    }

    @Override
    public void retire(CategoryId categoryId) {
        // The exclusive lock first: it waits for every assignment in flight to commit or roll back, and the count
        // that follows (a new statement, a new snapshot) sees the ones that committed.
        jdbc.query("SELECT category_id FROM catalog_registry.category WHERE category_id = ? FOR UPDATE",
                (rs, row) -> rs.getObject(1), categoryId.value());
        Long products = jdbc.queryForObject(
                "SELECT count(*) FROM catalog_registry.product_category WHERE category_id = ?", Long.class,
                categoryId.value());
        if (products != null && products > 0) {
            throw new RefusedException(Refusal.conflict(null, "Category " + categoryId + " still has " + products
                    + " product" + (products == 1 ? "" : "s") + ": move them to another category first"));
        }
        jdbc.update("DELETE FROM catalog_registry.category WHERE category_id = ?", categoryId.value());
    }

    @Override
    public void assign(ProductId productId, CategoryId categoryId, String field) {
        List<Object> found = jdbc.query(
                "SELECT category_id FROM catalog_registry.category WHERE category_id = ? FOR KEY SHARE",
                (rs, row) -> rs.getObject(1), categoryId.value());
        if (found.isEmpty()) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, field,
                    "Category " + categoryId + " does not exist"));
        }
        jdbc.update("""
                INSERT INTO catalog_registry.product_category (product_id, category_id) VALUES (?, ?)
                ON CONFLICT (product_id) DO UPDATE SET category_id = EXCLUDED.category_id
                """, productId.value(), categoryId.value());
    }
}
