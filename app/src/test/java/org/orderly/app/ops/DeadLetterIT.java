package org.orderly.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.domainstore.ProjectionWrites;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection whose handler fails for one customer: that customer's events are parked in the domain's
 * own dead-letter queue, and every other customer's rows are written. On PostgreSQL this depends on the
 * failed batch being retried with each event in a savepoint, since a failed statement aborts the whole
 * batch's transaction; for writes deferred to the batch's commit, the failure only shows at the commit.
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: close it, and its database, when the class is done
@Import(DeadLetterIT.PoisonDomain.class)
class DeadLetterIT {

    static final String POISON = "Poison Ivy";

    @TestConfiguration(proxyBeanMethods = false)
    static class PoisonDomain {
        @Bean
        DomainStoreDefinition poisonDomainStore() {
            return DomainStoreDefinition.of("poison", "poison-test", "poison-batched");
        }

        @Bean
        BatchedPoisonedProjection batchedPoisonedProjection(DomainStores stores) {
            return new BatchedPoisonedProjection(stores.get("poison").writes());
        }

        @Bean
        PoisonedProjection poisonedProjection(DomainStores stores) {
            return new PoisonedProjection(stores.get("poison").jdbc());
        }
    }

    @ProcessingGroup("poison-test")
    static class PoisonedProjection {
        private final JdbcTemplate jdbc;

        PoisonedProjection(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(CustomerRegisteredEvent event) {
            if (POISON.equals(event.name())) {
                // A real SQL failure: the statement aborts the transaction, as a bug in a projection would.
                jdbc.update("INSERT INTO seen_customers (customer_id, name) VALUES (?, NULL)", event.customerId().value());
            }
            jdbc.update("INSERT INTO seen_customers (customer_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    event.customerId().value(), event.name());
        }
    }

    /** The same failure, in a write that waits for the batch's commit. */
    @ProcessingGroup("poison-batched")
    static class BatchedPoisonedProjection {
        private final ProjectionWrites writes;

        BatchedPoisonedProjection(ProjectionWrites writes) {
            this.writes = writes;
        }

        @EventHandler
        void on(CustomerRegisteredEvent event) {
            writes.update(event.customerId(), "INSERT INTO seen_customers_batched (customer_id, name) VALUES (?, ?)",
                    event.customerId().value(), POISON.equals(event.name()) ? null : event.name());
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;

    @Test
    void aFailingEventIsParkedInItsDomainsQueueWhileOtherEventsAreApplied() {
        Http http = new Identities(port).anonymous();
        String before = register(http, "Before");
        String poisoned = register(http, POISON);
        String after = register(http, "After");
        JdbcTemplate poison = stores.get("poison").jdbc();

        await().atMost(Duration.ofSeconds(20)).until(() ->
                poison.queryForObject("SELECT count(*) FROM seen_customers WHERE customer_id IN (?, ?)", Integer.class,
                        UUID.fromString(before), UUID.fromString(after)) == 2);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                poison.queryForObject("SELECT count(*) FROM dead_letter_entry WHERE sequenceIdentifier = ?"
                        + " AND processingGroup = 'poison-test'", Integer.class, poisoned) > 0);
        assertThat(poison.queryForObject("SELECT count(*) FROM seen_customers WHERE customer_id = ?", Integer.class,
                UUID.fromString(poisoned))).isZero();
        // stored sealed under the customer (PostgreSQL quotes the failing row), read opened by the operator
        assertThat(poison.queryForObject("SELECT causeMessage FROM dead_letter_entry WHERE sequenceIdentifier = ?"
                + " AND processingGroup = 'poison-test'", String.class, poisoned)).startsWith("pd1:" + poisoned + ":");
        assertThat(new Identities(port).operator().get("/api/ops/dead-letters?processor=poison-test").json()
                .findValuesAsText("causeMessage")).anySatisfy(cause -> assertThat(cause).contains("null value"));
    }

    @Test
    void aWriteThatFailsAtTheBatchsCommitParksOnlyItsOwnEvent() {
        Http http = new Identities(port).anonymous();
        java.util.List<String> names = java.util.List.of("One", "Two", POISON, "Four", "Five");
        java.util.List<String> ids = names.parallelStream().map(name -> register(http, name)).toList();
        String poisoned = ids.get(names.indexOf(POISON));
        JdbcTemplate poison = stores.get("poison").jdbc();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                poison.queryForObject("SELECT count(*) FROM seen_customers_batched", Integer.class) == 4
                        && poison.queryForObject("SELECT count(*) FROM dead_letter_entry WHERE processingGroup = "
                        + "'poison-batched' AND sequenceIdentifier = ?", Integer.class, poisoned) == 1);
        assertThat(poison.queryForList("SELECT customer_id FROM seen_customers_batched", UUID.class))
                .doesNotContain(UUID.fromString(poisoned));
    }

    private static String register(Http http, String name) {
        return Identities.signUp(http, name).id();
    }
}
