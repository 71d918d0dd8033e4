package org.orderly.query.customer;

import java.util.Map;

import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerDataPart;
import org.orderly.api.customer.ExportCustomerDataQuery;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.ExportRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The customer domain's part of a data export: the customer's record (profile, status, credit limit). */
@Component
class CustomerDataExport {

    private final JdbcTemplate jdbc;

    CustomerDataExport(DomainStores stores) {
        this.jdbc = stores.get(CustomerStore.DOMAIN).jdbc();
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        if (!actor.mayAccess(query.customerId().value())) {
            return CustomerDataPart.empty(CustomerStore.DOMAIN);
        }
        Map<String, Object> customer = ExportRows.one(jdbc, """
                SELECT customer_id, email, name, status, credit_limit_amount, credit_limit_currency, version, updated_at
                  FROM customers WHERE customer_id = ?
                """, query.customerId().value());
        return customer == null ? CustomerDataPart.empty(CustomerStore.DOMAIN)
                : new CustomerDataPart(CustomerStore.DOMAIN, Map.of("customer", customer));
    }
}
