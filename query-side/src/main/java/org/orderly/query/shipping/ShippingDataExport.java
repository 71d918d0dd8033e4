package org.orderly.query.shipping;

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
 * The shipping domain's part of a data export: the shipments of the customer's orders with their items, found
 * through the shipping domain's own copy of who placed each order.
 */
@Component
class ShippingDataExport {

    private final DomainStore store;

    ShippingDataExport(DomainStores stores) {
        this.store = stores.get(ShippingStore.DOMAIN);
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(ShippingStore.DOMAIN);
        }
        return ExportRows.inOneSnapshot(store, () -> {
            List<Map<String, Object>> shipments = ExportRows.all(store.jdbc(), """
                    SELECT shipment_id, order_id, status, version, updated_at FROM shipments
                     WHERE order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)
                     ORDER BY updated_at, shipment_id
                    """, customerId);
            for (Map<String, Object> shipment : shipments) {
                shipment.put("items", ExportRows.all(store.jdbc(), """
                        SELECT line_no, product_id, quantity, weight_grams FROM shipment_items
                         WHERE shipment_id = ? ORDER BY line_no
                        """, UUID.fromString((String) shipment.get("shipmentId"))));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (!shipments.isEmpty()) {
                data.put("shipments", shipments);
            }
            return new CustomerDataPart(ShippingStore.DOMAIN, data);
        });
    }
}
