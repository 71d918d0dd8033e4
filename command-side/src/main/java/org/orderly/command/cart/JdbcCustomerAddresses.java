package org.orderly.command.cart;

import java.util.List;
import java.util.Optional;

import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.config.domainstore.DomainStoreReader;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionCommits;
import org.orderly.config.processing.ProcessorLag;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads one of a customer's addresses from the customer domain's address book ({@code customer.customer_addresses},
 * kept by the query side's {@code customers} processor), for a checkout to copy it as it reads now. Read through the
 * customer domain's own role, as the inventory's command side reads the catalog's products (ADR 0011): the command
 * side may run apart from the query side, where no query bus reaches it.
 * <p>
 * It first waits (up to {@code orderly.cart.max-copy-wait}) until the processor has reached the head of the event
 * store as it was when asked, so an address added a moment ago is found; still behind then, it refuses with 503.
 * The address is personal data: it is never logged, and leaves here only into the checkout's sealed event.
 */
@Component
class JdbcCustomerAddresses {

    static final String DOMAIN = "customer";
    static final String CUSTOMERS = "customers";

    @Configuration(proxyBeanMethods = false)
    static class Reader {
        @Bean
        DomainStoreReader checkoutAddressesReader() {
            return DomainStoreReader.of(DOMAIN, CUSTOMERS);
        }
    }

    private final JdbcTemplate jdbc;
    private final ProjectionCommits commits;
    private final ProcessorLag lag;
    private final CartProperties settings;

    JdbcCustomerAddresses(DomainStores stores, ProcessorLag lag, CartProperties settings) {
        this.jdbc = stores.get(DOMAIN).jdbc();
        this.commits = stores.commits();
        this.lag = lag;
        this.settings = settings;
    }

    /** The customer's address as it reads now; empty when the customer has no such address. */
    Optional<PostalAddress> address(CustomerId customerId, AddressId addressId) {
        long head = lag.head();
        // Looked at again whenever the customers processor commits, on whichever node runs it (ProjectionCommits).
        if (!commits.awaitUntil(List.of(CUSTOMERS), settings.maxCopyWait(),
                () -> lag.of(CUSTOMERS).position() >= head)) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null,
                    "The customer domain has not yet recorded the latest changes to addresses; retry shortly"));
        }
        List<PostalAddress> found = jdbc.query("""
                SELECT recipient_name, line1, line2, postal_code, city, region, country, phone
                  FROM customer_addresses WHERE customer_id = ? AND address_id = ?
                """, (rs, row) -> new PostalAddress(rs.getString("recipient_name"), rs.getString("line1"),
                rs.getString("line2"), rs.getString("postal_code"), rs.getString("city"), rs.getString("region"),
                rs.getString("country"), rs.getString("phone")), customerId.value(), addressId.value());
        return found.stream().findFirst();
    }
}
