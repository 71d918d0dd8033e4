package org.orderly.command.customer;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.EraseCustomerCommand;
import org.orderly.config.domainstore.DomainStoreReader;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.retention.RetentionFailure;
import org.orderly.config.retention.RetentionProperties;
import org.orderly.config.retention.RetentionTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Erases customers deactivated longer than {@code orderly.retention.erase-deactivated-customers-after} ago (off
 * unless set). Nothing is deleted here: each such customer is sent {@link EraseCustomerCommand}, exactly as if
 * they had asked, so their key goes and every domain forgets its own copies, driven by the event. Orderly sends it
 * as itself (the run's thread serves no request).
 * <p>
 * The deactivation time is the row's {@code updated_at}: a deactivated customer can change nothing else, so their
 * last event is the deactivation. The read model lags the commands, so a run walks the deactivated customers by id
 * rather than asking again for "the first batch", which would still list the ones it has just erased; a customer
 * erased twice (by two nodes, or a rerun) is answered at once, erasure being idempotent.
 * <p>
 * It runs on the command side, which handles the commands it sends, and reads the customer read model's schema
 * there through the customer domain's role ({@link DomainStoreReader}).
 */
@Component
public class DeactivatedCustomersRetention implements RetentionTask {

    private static final Logger log = LoggerFactory.getLogger(DeactivatedCustomersRetention.class);
    private static final long ERASE_TIMEOUT_SECONDS = 30;

    static final String DOMAIN = "customer";

    /** The customer read model's schema, read here; its store and processor are declared by the query side. */
    @Configuration(proxyBeanMethods = false)
    static class Reader {
        @Bean
        DomainStoreReader deactivatedCustomersReader() {
            return DomainStoreReader.of(DOMAIN, "customers");
        }
    }

    private final JdbcTemplate jdbc;
    private final CommandGateway commands;
    private final Optional<Duration> period;

    @Autowired
    DeactivatedCustomersRetention(DomainStores stores, CommandGateway commands, RetentionProperties retention) {
        this(stores, commands, retention.deactivatedCustomersPeriod());
    }

    /** With a period of its own, rather than the configured one. */
    public DeactivatedCustomersRetention(DomainStores stores, CommandGateway commands, Optional<Duration> period) {
        this.jdbc = stores.get(DOMAIN).jdbc();
        this.commands = commands;
        this.period = period;
    }

    @Override
    public String kind() {
        return RetentionProperties.DEACTIVATED_CUSTOMERS;
    }

    @Override
    public Optional<Duration> period() {
        return period;
    }

    @Override
    public long removeExpired(Instant cutoff, int batchSize) {
        long erased = 0;
        int failed = 0;
        RuntimeException first = null;
        // PostgreSQL orders uuids by their bytes, unsigned: the nil uuid comes first (Java's signed order differs)
        UUID after = new UUID(0, 0);
        List<UUID> batch;
        do {
            batch = jdbc.queryForList("""
                    SELECT customer_id FROM customers
                     WHERE status = 'DEACTIVATED' AND updated_at < ? AND customer_id > ?
                     ORDER BY customer_id LIMIT ?
                    """, UUID.class, Timestamp.from(cutoff), after, batchSize);
            for (UUID customer : batch) {
                try {
                    erase(new CustomerId(customer));
                    erased++;
                } catch (RuntimeException e) {
                    // the next customers are still erased; this one is tried again at the next run
                    failed++;
                    if (first == null) {
                        first = e;
                    }
                    log.warn("Erasing deactivated customer {} failed: {}", customer, e.toString());
                }
            }
            if (!batch.isEmpty()) {
                after = batch.get(batch.size() - 1);
            }
        } while (batch.size() == batchSize && !Thread.currentThread().isInterrupted());
        if (first != null) {
            throw new RetentionFailure(failed + " of " + (erased + failed)
                    + " deactivated customers could not be erased; first: " + first, first, erased);
        }
        return erased;
    }

    private void erase(CustomerId customer) {
        try {
            commands.send(new EraseCustomerCommand(customer)).get(ERASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + ERASE_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
