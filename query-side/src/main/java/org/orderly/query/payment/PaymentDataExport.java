package org.orderly.query.payment;

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
 * The payment domain's part of a data export: the payments of the customer's orders, found through the payment
 * domain's own copy of who placed each order.
 */
@Component
class PaymentDataExport {

    private final DomainStore store;

    PaymentDataExport(DomainStores stores) {
        this.store = stores.get(PaymentStore.DOMAIN);
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(PaymentStore.DOMAIN);
        }
        List<Map<String, Object>> payments = ExportRows.all(store.jdbc(), """
                SELECT payment_id, order_id, amount, currency, refunded, status, version, updated_at FROM payments
                 WHERE order_id IN (SELECT o.order_id FROM order_owners o WHERE o.customer_id = ?)
                 ORDER BY updated_at, payment_id
                """, customerId);
        Map<String, Object> data = new LinkedHashMap<>();
        if (!payments.isEmpty()) {
            data.put("payments", payments);
        }
        return new CustomerDataPart(PaymentStore.DOMAIN, data);
    }
}
