package org.orderly.query.customer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerAddressBook;
import org.orderly.api.customer.CustomerAddressView;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.FindCustomerAddressQuery;
import org.orderly.api.customer.FindCustomerAddressesQuery;
import org.orderly.api.customer.PostalAddress;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.ExportRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads of the customers' address books, kept by {@link CustomerProjection}. A customer sees only their own; any
 * other customer's answers exactly as one that does not exist. Also the addresses' share of the customer domain's
 * data export ({@link CustomerDataExport}).
 */
@Component
class CustomerAddressQueries {

    private static final String COLUMNS = """
            a.address_id, a.recipient_name, a.line1, a.line2, a.postal_code, a.city, a.region, a.country, a.phone,
            a.address_id = c.default_shipping_address_id AS default_shipping,
            a.address_id = c.default_billing_address_id AS default_billing""";

    private final DomainStore store;
    private final JdbcTemplate jdbc;

    CustomerAddressQueries(DomainStores stores) {
        this.store = stores.get(CustomerStore.DOMAIN);
        this.jdbc = store.jdbc();
    }

    @QueryHandler
    CustomerAddressBook handle(FindCustomerAddressesQuery query, Actor actor) {
        UUID customer = query.customerId().value();
        if (!actor.mayAccess(customer)) {
            return null;
        }
        // the customer and their addresses as of one moment, whatever the projection writes meanwhile
        return ExportRows.inOneSnapshot(store, () -> {
            List<Map<String, Object>> found = jdbc.queryForList("""
                    SELECT default_shipping_address_id, default_billing_address_id, version
                      FROM customers WHERE customer_id = ?
                    """, customer);
            if (found.isEmpty()) {
                return null;
            }
            Map<String, Object> row = found.get(0);
            List<CustomerAddressView> addresses = jdbc.query("SELECT " + COLUMNS + """
                      FROM customer_addresses a JOIN customers c ON c.customer_id = a.customer_id
                     WHERE a.customer_id = ?
                     ORDER BY a.added_version, a.address_id
                    """, (rs, n) -> view(query.customerId(), rs), customer);
            return new CustomerAddressBook(query.customerId(), addresses,
                    addressId(row.get("default_shipping_address_id")), addressId(row.get("default_billing_address_id")),
                    ((Number) row.get("version")).longValue());
        });
    }

    @QueryHandler
    CustomerAddressView handle(FindCustomerAddressQuery query, Actor actor) {
        if (!actor.mayAccess(query.customerId().value())) {
            return null;
        }
        List<CustomerAddressView> found = jdbc.query("SELECT " + COLUMNS + """
                  FROM customer_addresses a JOIN customers c ON c.customer_id = a.customer_id
                 WHERE a.customer_id = ? AND a.address_id = ?
                """, (rs, n) -> view(query.customerId(), rs), query.customerId().value(), query.addressId().value());
        return found.isEmpty() ? null : found.get(0);
    }

    /** Every address of the customer as stored, for the data export; to be read inside its snapshot. */
    List<Map<String, Object>> export(CustomerId customerId) {
        return ExportRows.all(jdbc, """
                SELECT address_id, recipient_name, line1, line2, postal_code, city, region, country, phone, updated_at
                  FROM customer_addresses WHERE customer_id = ?
                 ORDER BY added_version, address_id
                """, customerId.value());
    }

    private static CustomerAddressView view(CustomerId customerId, ResultSet rs) throws SQLException {
        return new CustomerAddressView(customerId, new AddressId(rs.getObject("address_id", UUID.class)),
                new PostalAddress(rs.getString("recipient_name"), rs.getString("line1"), rs.getString("line2"),
                        rs.getString("postal_code"), rs.getString("city"), rs.getString("region"),
                        rs.getString("country"), rs.getString("phone")),
                rs.getBoolean("default_shipping"), rs.getBoolean("default_billing"));
    }

    private static AddressId addressId(Object value) {
        return value == null ? null : new AddressId((UUID) value);
    }
}
