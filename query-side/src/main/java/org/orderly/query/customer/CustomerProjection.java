package org.orderly.query.customer;

import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerErasedEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerAddressAddedEvent;
import org.orderly.api.customer.CustomerAddressRemovedEvent;
import org.orderly.api.customer.CustomerAddressReplacedEvent;
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerDefaultAddressesChangedEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerPage;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.CustomerStatus;
import org.orderly.api.customer.CustomerView;
import org.orderly.api.customer.FindCustomerQuery;
import org.orderly.api.customer.FindCustomersQuery;
import org.orderly.api.customer.PostalAddress;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.orderly.config.processing.Positions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code customers} read model. Every write is guarded by the aggregate's sequence number, so a
 * redelivered or replayed event changes nothing it has already changed. The handlers never read, so
 * their writes go out together when the batch commits ({@link ProjectionWrites}), keyed by customer.
 * <p>
 * The customer's addresses ({@code customer_addresses}) and default addresses are kept by the same processor, in the
 * same order as the rest of the customer: an address event moves the customer's version as every other event of
 * theirs does (so that the ETag a client reads stays the version the aggregate checks), and its address row changes
 * only in the statement that moves the version, so the one guard covers both. An address whose customer was erased
 * reads as {@code null} from its event (its key is gone): a replay then moves the version and writes no row.
 */
@Component
@ProcessingGroup(CustomerProjection.PROCESSING_GROUP)
class CustomerProjection {

    static final String PROCESSING_GROUP = "customers";

    private final JdbcTemplate jdbc;
    private final ProjectionWrites writes;

    CustomerProjection(DomainStores stores) {
        this.jdbc = stores.get(CustomerStore.DOMAIN).jdbc();
        this.writes = stores.get(CustomerStore.DOMAIN).writes();
    }

    @EventHandler
    void on(CustomerRegisteredEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        Money limit = event.creditLimit();
        writes.update(event.customerId(), """
                INSERT INTO customers (customer_id, email, name, status, credit_limit_amount, credit_limit_currency,
                                       version, last_position, updated_at)
                VALUES (?, ?, ?, 'ACTIVE', ?, ?, ?, ?, ?)
                ON CONFLICT (customer_id) DO NOTHING
                """, event.customerId().value(), event.email(), event.name(), limit == null ? null : limit.amount(),
                limit == null ? null : limit.currency(), version, Positions.of(token), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(CustomerEmailChangedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET email = ?, version = ?, last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, event.email(), version, Positions.of(token), java.sql.Timestamp.from(at),
                event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerCreditLimitSetEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET credit_limit_amount = ?, credit_limit_currency = ?, version = ?,
                       last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, event.creditLimit().amount(), event.creditLimit().currency(), version, Positions.of(token),
                java.sql.Timestamp.from(at), event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerDeactivatedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET status = 'DEACTIVATED', version = ?, last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, version, Positions.of(token), java.sql.Timestamp.from(at), event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerAddressAddedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        PostalAddress address = event.address();
        if (address == null) {
            moveVersion(event.customerId(), version, token, at);
            return;
        }
        writes.update(event.customerId(), """
                WITH applied AS (
                    UPDATE customers SET version = ?, last_position = ?, updated_at = ?
                     WHERE customer_id = ? AND version < ?
                 RETURNING customer_id)
                INSERT INTO customer_addresses (customer_id, address_id, recipient_name, line1, line2, postal_code,
                                                city, region, country, phone, added_version, updated_at)
                SELECT customer_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM applied
                    ON CONFLICT (customer_id, address_id) DO NOTHING
                """, version, Positions.of(token), java.sql.Timestamp.from(at), event.customerId().value(), version,
                event.addressId().value(), address.recipientName(), address.line1(), address.line2(),
                address.postalCode(), address.city(), address.region(), address.country(), address.phone(), version,
                java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(CustomerAddressReplacedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        PostalAddress address = event.address();
        if (address == null) {
            moveVersion(event.customerId(), version, token, at);
            return;
        }
        writes.update(event.customerId(), """
                WITH applied AS (
                    UPDATE customers SET version = ?, last_position = ?, updated_at = ?
                     WHERE customer_id = ? AND version < ?
                 RETURNING customer_id)
                UPDATE customer_addresses a
                   SET recipient_name = ?, line1 = ?, line2 = ?, postal_code = ?, city = ?, region = ?, country = ?,
                       phone = ?, updated_at = ?
                  FROM applied
                 WHERE a.customer_id = applied.customer_id AND a.address_id = ?
                """, version, Positions.of(token), java.sql.Timestamp.from(at), event.customerId().value(), version,
                address.recipientName(), address.line1(), address.line2(), address.postalCode(), address.city(),
                address.region(), address.country(), address.phone(), java.sql.Timestamp.from(at),
                event.addressId().value());
    }

    /** A default that named the address is cleared in the same statement (the event says so). */
    @EventHandler
    void on(CustomerAddressRemovedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                WITH applied AS (
                    UPDATE customers SET version = ?, last_position = ?, updated_at = ?,
                           default_shipping_address_id = NULLIF(default_shipping_address_id, ?),
                           default_billing_address_id = NULLIF(default_billing_address_id, ?)
                     WHERE customer_id = ? AND version < ?
                 RETURNING customer_id)
                DELETE FROM customer_addresses a USING applied
                 WHERE a.customer_id = applied.customer_id AND a.address_id = ?
                """, version, Positions.of(token), java.sql.Timestamp.from(at), event.addressId().value(),
                event.addressId().value(), event.customerId().value(), version, event.addressId().value());
    }

    @EventHandler
    void on(CustomerDefaultAddressesChangedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET default_shipping_address_id = ?, default_billing_address_id = ?, version = ?,
                       last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, event.shipping() == null ? null : event.shipping().value(),
                event.billing() == null ? null : event.billing().value(), version, Positions.of(token),
                java.sql.Timestamp.from(at), event.customerId().value(), version);
    }

    private void moveVersion(CustomerId customerId, long version, TrackingToken token, Instant at) {
        writes.update(customerId, """
                UPDATE customers SET version = ?, last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, version, Positions.of(token), java.sql.Timestamp.from(at), customerId.value(), version);
    }

    /**
     * The row stays (orders name the customer by id), without personal data; their addresses go, with the defaults
     * that named them (an address is nothing without its content, and another domain that needed one kept its own
     * copy when it did).
     */
    @EventHandler
    void on(CustomerErasedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET email = ?, name = ?, status = 'ERASED', default_shipping_address_id = NULL,
                       default_billing_address_id = NULL, version = ?, last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, PersonalData.ERASED, PersonalData.ERASED, version, Positions.of(token), java.sql.Timestamp.from(at),
                event.customerId().value(), version);
        // Unguarded: once erased, a customer gains no address, so deleting again is never wrong.
        writes.update(event.customerId(), "DELETE FROM customer_addresses WHERE customer_id = ?",
                event.customerId().value());
    }

    /** A replay starts from empty tables; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE customers, customer_addresses");
    }

    @QueryHandler
    CustomerView handle(FindCustomerQuery query, Actor actor) {
        // A customer sees only their own record; any other answers exactly as one that does not exist.
        if (!actor.mayAccess(query.customerId().value())) {
            return null;
        }
        List<CustomerView> found = jdbc.query(
                "SELECT customer_id, email, name, status, credit_limit_amount, credit_limit_currency, version FROM customers WHERE customer_id = ?",
                CustomerProjection::view, query.customerId().value());
        return found.isEmpty() ? null : found.get(0);
    }

    @QueryHandler
    CustomerPage handle(FindCustomersQuery query, Actor actor) {
        // A customer's list holds only their own record; staff see every customer, anyone else none.
        Actor.ListScope scope = actor.listScope(null);
        if (!scope.visible()) {
            return new CustomerPage(List.of(), null);
        }
        StringBuilder sql = new StringBuilder("""
                SELECT customer_id, email, name, status, credit_limit_amount, credit_limit_currency, version FROM customers
                 WHERE TRUE""");
        List<Object> args = new ArrayList<>();
        if (scope.customer() != null) {
            sql.append(" AND customer_id = ?");
            args.add(scope.customer());
        }
        if (query.after() != null) {
            sql.append(" AND customer_id > ?");
            args.add(query.after().value());
        }
        // One row more than asked tells whether a next page exists.
        sql.append(" ORDER BY customer_id LIMIT ?");
        args.add(query.limit() + 1);
        List<CustomerView> rows = jdbc.query(sql.toString(), CustomerProjection::view, args.toArray());
        if (rows.size() <= query.limit()) {
            return new CustomerPage(rows, null);
        }
        List<CustomerView> page = rows.subList(0, query.limit());
        return new CustomerPage(List.copyOf(page), page.get(page.size() - 1).customerId());
    }


    private static CustomerView view(ResultSet rs, int row) throws SQLException {
        return new CustomerView(new CustomerId(rs.getObject("customer_id", java.util.UUID.class)),
                rs.getString("email"), rs.getString("name"), CustomerStatus.valueOf(rs.getString("status")),
                rs.getBigDecimal("credit_limit_amount") == null ? null
                        : new Money(rs.getBigDecimal("credit_limit_amount"), rs.getString("credit_limit_currency")),
                rs.getLong("version"));
    }
}
