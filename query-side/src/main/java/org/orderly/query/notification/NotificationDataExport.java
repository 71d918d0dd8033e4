package org.orderly.query.notification;

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
 * The notification domain's part of a data export: its copy of the customer's contact, and every notification to
 * them (recipient, subject, status, attempts, times), whether recorded for the customer or for one of their orders.
 */
@Component
class NotificationDataExport {

    private final DomainStore store;

    NotificationDataExport(DomainStores stores) {
        this.store = stores.get(NotificationStore.DOMAIN);
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(NotificationStore.DOMAIN);
        }
        return ExportRows.inOneSnapshot(store, () -> {
            Map<String, Object> data = new LinkedHashMap<>();
            Map<String, Object> contact = ExportRows.one(store.jdbc(),
                    "SELECT customer_id, email, status FROM customer_contacts WHERE customer_id = ?", customerId);
            if (contact != null) {
                data.put("contact", contact);
            }
            List<Map<String, Object>> notifications = ExportRows.all(store.jdbc(), """
                    SELECT notification_id, type, customer_id, order_id, shipment_id, recipient, detail, status, attempts,
                           last_error, created_at, recorded_at, sent_at
                      FROM notifications
                     WHERE customer_id = ? OR order_id IN (SELECT c.order_id FROM order_customers c WHERE c.customer_id = ?)
                     ORDER BY created_at, notification_id
                    """, customerId, customerId);
            if (!notifications.isEmpty()) {
                data.put("notifications", notifications);
            }
            return new CustomerDataPart(NotificationStore.DOMAIN, data);
        });
    }
}
