package org.orderly.query.returns;

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
import org.springframework.stereotype.Component;

/**
 * The returns domain's part of a data export: the customer's returns with their lines and the reasons they typed,
 * found through the returns domain's own copy of who placed each order, and its copies of those orders (what a
 * return request is decided on).
 */
@Component
class ReturnsDataExport {

    private final DomainStore store;

    ReturnsDataExport(DomainStores stores) {
        this.store = stores.get(ReturnsStore.DOMAIN);
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(ReturnsStore.DOMAIN);
        }
        return ExportRows.inOneSnapshot(store, () -> {
            List<Map<String, Object>> returns = ExportRows.all(store.jdbc(), """
                    SELECT return_id, order_id, status, reason, refund_amount, refund_currency, rejection_reason,
                           version, updated_at
                      FROM returns
                     WHERE order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)
                     ORDER BY updated_at, return_id
                    """, customerId);
            for (Map<String, Object> returned : returns) {
                returned.put("lines", ExportRows.all(store.jdbc(), """
                        SELECT line_no, product_id, quantity, unit_price_amount, unit_price_currency FROM return_lines
                         WHERE return_id = ? ORDER BY line_no
                        """, UUID.fromString((String) returned.get("returnId"))));
            }
            List<Map<String, Object>> orderCopies = ExportRows.all(store.jdbc(), """
                    SELECT order_id, status, delivered_at, version FROM order_copies
                     WHERE customer_id = ? OR order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)
                     ORDER BY order_id
                    """, customerId, customerId);
            for (Map<String, Object> order : orderCopies) {
                order.put("lines", ExportRows.all(store.jdbc(), """
                        SELECT product_id, quantity, unit_price_amount, unit_price_currency FROM order_copy_lines
                         WHERE order_id = ? ORDER BY product_id
                        """, UUID.fromString((String) order.get("orderId"))));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (!returns.isEmpty()) {
                data.put("returns", returns);
            }
            if (!orderCopies.isEmpty()) {
                data.put("orderCopies", orderCopies);
            }
            return new CustomerDataPart(ReturnsStore.DOMAIN, data);
        });
    }
}
