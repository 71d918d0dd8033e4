package org.orderly.query.cart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerDataPart;
import org.orderly.api.customer.ExportCustomerDataQuery;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.ExportRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The cart domain's part of a data export: the customer's carts with their lines, and their checkout sessions with
 * their lines and the copies of the customer's addresses they ship to and bill (personal data). Read in one
 * read-only transaction. The domain's copies of the catalog and inventory are about products, not customers.
 */
@Component
class CartDataExport {

    private final DomainStore store;

    CartDataExport(DomainStores stores) {
        this.store = stores.get(CartStore.DOMAIN);
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(CartStore.DOMAIN);
        }
        return ExportRows.inOneSnapshot(store, () -> part(store.jdbc(), customerId));
    }

    private static CustomerDataPart part(JdbcTemplate jdbc, UUID customerId) {
        Map<String, Object> data = new LinkedHashMap<>();
        List<Map<String, Object>> carts = new ArrayList<>();
        for (Map<String, Object> cart : ExportRows.all(jdbc, """
                SELECT cart_id, status, expires_at, updated_at, version FROM carts WHERE customer_id = ?
                 ORDER BY updated_at, cart_id
                """, customerId)) {
            cart.put("lines", ExportRows.all(jdbc, """
                    SELECT product_id, quantity, added_price_amount, added_price_currency
                      FROM cart_lines WHERE cart_id = ? ORDER BY added_version, product_id
                    """, UUID.fromString((String) cart.get("cartId"))));
            carts.add(cart);
        }
        if (!carts.isEmpty()) {
            data.put("carts", carts);
        }
        List<Map<String, Object>> checkouts = new ArrayList<>();
        for (Map<String, Object> checkout : ExportRows.all(jdbc, """
                SELECT checkout_id, cart_id, status, items_total_amount, items_total_currency, shipping_address,
                       billing_address, shipping_method, shipping_cost_amount, shipping_cost_currency, order_id,
                       failure_reason, expires_at, version
                  FROM checkouts WHERE customer_id = ? ORDER BY expires_at, checkout_id
                """, customerId)) {
            checkout.put("lines", ExportRows.all(jdbc, """
                    SELECT line_no, product_id, quantity, unit_price_amount, unit_price_currency
                      FROM checkout_lines WHERE checkout_id = ? ORDER BY line_no
                    """, UUID.fromString((String) checkout.get("checkoutId"))));
            checkouts.add(checkout);
        }
        if (!checkouts.isEmpty()) {
            data.put("checkouts", checkouts);
        }
        return new CustomerDataPart(CartStore.DOMAIN, data);
    }
}
