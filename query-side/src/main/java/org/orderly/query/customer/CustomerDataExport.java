package org.orderly.query.customer;

import java.util.LinkedHashMap;
import java.util.Map;

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
 * The customer domain's part of a data export: the customer's record (profile, status, credit limit, default
 * addresses) and their address book, read as of one moment.
 */
@Component
class CustomerDataExport {

    private final DomainStore store;
    private final JdbcTemplate jdbc;
    private final CustomerAddressQueries addresses;

    CustomerDataExport(DomainStores stores, CustomerAddressQueries addresses) {
        this.store = stores.get(CustomerStore.DOMAIN);
        this.jdbc = store.jdbc();
        this.addresses = addresses;
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        if (!actor.mayAccess(query.customerId().value())) {
            return CustomerDataPart.empty(CustomerStore.DOMAIN);
        }
        Map<String, Object> data = ExportRows.inOneSnapshot(store, () -> {
            Map<String, Object> customer = ExportRows.one(jdbc, """
                    SELECT customer_id, email, name, status, credit_limit_amount, credit_limit_currency,
                           default_shipping_address_id, default_billing_address_id, version, updated_at
                      FROM customers WHERE customer_id = ?
                    """, query.customerId().value());
            if (customer == null) {
                return Map.of();
            }
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("customer", customer);
            part.put("addresses", addresses.export(query.customerId()));
            return part;
        });
        return new CustomerDataPart(CustomerStore.DOMAIN, data);
    }
}
