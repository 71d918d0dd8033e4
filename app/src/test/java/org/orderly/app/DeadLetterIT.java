package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A projection whose handler fails for one customer: that customer's events are parked in the domain's
 * own dead-letter queue, and every other customer's rows are written. On PostgreSQL this depends on
 * each handler running in a savepoint, since a failed statement aborts the whole batch's transaction.
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
            return DomainStoreDefinition.of("poison", "poison-test");
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

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;

    @Test
    void aFailingEventIsParkedInItsDomainsQueueWhileOtherEventsAreApplied() {
        Http http = new Http(port);
        String before = register(http, "Before");
        String poisoned = register(http, POISON);
        String after = register(http, "After");
        JdbcTemplate poison = stores.get("poison").jdbc();

        await().atMost(Duration.ofSeconds(20)).until(() ->
                poison.queryForObject("SELECT count(*) FROM seen_customers WHERE customer_id IN (?, ?)", Integer.class,
                        UUID.fromString(before), UUID.fromString(after)) == 2);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                poison.queryForObject("SELECT count(*) FROM dead_letter_entry WHERE sequenceIdentifier = ?",
                        Integer.class, poisoned) > 0);
        assertThat(poison.queryForObject("SELECT count(*) FROM seen_customers WHERE customer_id = ?", Integer.class,
                UUID.fromString(poisoned))).isZero();
        assertThat(poison.queryForObject("SELECT processingGroup FROM dead_letter_entry WHERE sequenceIdentifier = ?",
                String.class, poisoned)).isEqualTo("poison-test");
        assertThat(poison.queryForObject("SELECT causeMessage FROM dead_letter_entry WHERE sequenceIdentifier = ?",
                String.class, poisoned)).contains("null value");
    }

    private static String register(Http http, String name) {
        Http.Response created = http.post("/api/customers",
                "{\"email\": \"dl-" + UUID.randomUUID() + "@example.com\", \"name\": \"" + name + "\"}");
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("customerId").asText();
    }
}
