package org.orderly.command.catalog;

import java.util.List;
import java.util.UUID;

import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The registry in the main database, next to the event store, so that a claim and the event commit in
 * one transaction. The primary key decides races: of two concurrent claims, the second waits for the
 * first to commit and then finds the SKU taken.
 */
@Component
class JdbcProductSkuRegistry implements ProductSkuRegistry {

    private final JdbcTemplate jdbc;

    JdbcProductSkuRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void claim(String sku, ProductId productId) {
        int inserted = jdbc.update("""
                INSERT INTO catalog_registry.product_sku (sku, product_id) VALUES (?, ?)
                ON CONFLICT (sku) DO NOTHING
                """, sku, productId.value());
        if (inserted == 0) {
            List<UUID> holder = jdbc.queryForList(
                    "SELECT product_id FROM catalog_registry.product_sku WHERE sku = ?", UUID.class, sku);
            if (!holder.contains(productId.value())) {
                throw new RefusedException(Refusal.conflict("sku", "SKU " + sku + " is already in use"));
            }
        }
    }
}
