package org.orderly.query.order;

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
 * The order domain's part of a data export: the customer's orders with their lines, the addresses and shipping cost
 * of those placed from a checkout, and status history (whose reasons may be text the customer typed), and the order domain's own copy of the customer. Read in one
 * read-only transaction, so an order and its lines are seen as of one moment.
 */
@Component
class OrderDataExport {

    private final DomainStore store;

    OrderDataExport(DomainStores stores) {
        this.store = stores.get(OrderStore.DOMAIN);
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(OrderStore.DOMAIN);
        }
        return ExportRows.inOneSnapshot(store, () -> part(store.jdbc(), customerId));
    }

    private static CustomerDataPart part(JdbcTemplate jdbc, UUID customerId) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> copy = ExportRows.one(jdbc, """
                SELECT customer_id, email, status, credit_limit_amount, credit_limit_currency
                  FROM customer_copies WHERE customer_id = ?
                """, customerId);
        if (copy != null) {
            data.put("customerCopy", copy);
        }
        List<Map<String, Object>> orders = new ArrayList<>();
        for (Map<String, Object> order : ExportRows.all(jdbc, """
                SELECT order_id, status, total_amount, total_currency, shipping_address, billing_address,
                       shipping_cost_amount, shipping_cost_currency, placed_at, version
                  FROM orders WHERE customer_id = ? ORDER BY placed_at, order_id
                """, customerId)) {
            UUID orderId = UUID.fromString((String) order.get("orderId"));
            order.put("lines", ExportRows.all(jdbc, """
                    SELECT line_no, product_id, product_name, quantity, unit_price_amount, unit_price_currency
                      FROM order_lines WHERE order_id = ? ORDER BY line_no
                    """, orderId));
            order.put("statusHistory", ExportRows.all(jdbc, """
                    SELECT sequence, status, at, reason FROM order_status_history WHERE order_id = ? ORDER BY sequence
                    """, orderId));
            orders.add(order);
        }
        if (!orders.isEmpty()) {
            data.put("orders", orders);
        }
        return new CustomerDataPart(OrderStore.DOMAIN, data);
    }
}
