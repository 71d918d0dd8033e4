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
import org.orderly.api.customer.CustomerCreditLimitSetEvent;
import org.orderly.api.customer.CustomerDeactivatedEvent;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerPage;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.customer.CustomerStatus;
import org.orderly.api.customer.CustomerView;
import org.orderly.api.customer.FindCustomerQuery;
import org.orderly.api.customer.FindCustomersQuery;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.orderly.config.eventstore.TokenPositions;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code customers} read model. Every write is guarded by the aggregate's sequence number, so a
 * redelivered or replayed event changes nothing it has already changed. The handlers never read, so
 * their writes go out together when the batch commits ({@link ProjectionWrites}), keyed by customer.
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
                limit == null ? null : limit.currency(), version, TokenPositions.of(token), java.sql.Timestamp.from(at));
    }

    @EventHandler
    void on(CustomerEmailChangedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET email = ?, version = ?, last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, event.email(), version, TokenPositions.of(token), java.sql.Timestamp.from(at),
                event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerCreditLimitSetEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET credit_limit_amount = ?, credit_limit_currency = ?, version = ?,
                       last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, event.creditLimit().amount(), event.creditLimit().currency(), version, TokenPositions.of(token),
                java.sql.Timestamp.from(at), event.customerId().value(), version);
    }

    @EventHandler
    void on(CustomerDeactivatedEvent event, @SequenceNumber long version, TrackingToken token,
            @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET status = 'DEACTIVATED', version = ?, last_position = ?, updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, version, TokenPositions.of(token), java.sql.Timestamp.from(at), event.customerId().value(), version);
    }

    /** The row stays (orders name the customer by id), without personal data. */
    @EventHandler
    void on(CustomerErasedEvent event, @SequenceNumber long version, TrackingToken token, @Timestamp Instant at) {
        writes.update(event.customerId(), """
                UPDATE customers SET email = ?, name = ?, status = 'ERASED', version = ?, last_position = ?,
                       updated_at = ?
                 WHERE customer_id = ? AND version < ?
                """, PersonalData.ERASED, PersonalData.ERASED, version, TokenPositions.of(token), java.sql.Timestamp.from(at),
                event.customerId().value(), version);
    }

    /** A replay starts from an empty table; only this domain's schema is touched. */
    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE customers");
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
