package org.orderly.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Health as a load balancer and an orchestrator read it, without a token: a poison event parks its own sequence and
 * shows in its domain's health, while the node stays in service (overall health and readiness 200).
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: close it, and its database, when the class is done
@Import(HealthIT.PoisonDomain.class)
class HealthIT {

    static final String POISON = "Health Poison";
    static final String GROUP = "health-poison";

    @TestConfiguration(proxyBeanMethods = false)
    static class PoisonDomain {
        @Bean
        DomainStoreDefinition healthPoisonDomainStore() {
            return DomainStoreDefinition.of("poison", GROUP);
        }

        @Bean
        PoisonedProjection healthPoisonedProjection(DomainStores stores) {
            return new PoisonedProjection(stores.get("poison").jdbc());
        }
    }

    @ProcessingGroup(GROUP)
    static class PoisonedProjection {
        private final JdbcTemplate jdbc;

        PoisonedProjection(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(CustomerRegisteredEvent event) {
            if (event.name().startsWith(POISON)) {
                // A real SQL failure, as a bug in a projection would make.
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
    /** No token, as a load balancer or an orchestrator asks. */
    Http http;
    /** Details (processors, lag, dead letters) are for operators. */
    Http operator;

    @BeforeEach
    void setUp() {
        Identities identities = new Identities(port);
        http = identities.anonymous();
        operator = identities.operator();
    }

    @Test
    void livenessIsTheApplicationsOwnStateAndReadinessItsStateAndDatabase() {
        Http.Response liveness = http.get("/actuator/health/liveness");
        Http.Response readiness = http.get("/actuator/health/readiness");

        assertThat(liveness.status()).as(liveness.toString()).isEqualTo(200);
        assertThat(liveness.json().get("status").asText()).isEqualTo("UP");
        assertThat(names(liveness.json().get("components"))).containsExactly("livenessState");
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
        assertThat(names(readiness.json().get("components"))).containsExactlyInAnyOrder("db", "readinessState");
        assertThat(readiness.json().get("components").get("db").get("status").asText()).isEqualTo("UP");
        assertThat(operator.get("/actuator/health/readiness").json().at("/components/db/details/database").asText())
                .isEqualTo("PostgreSQL");
    }

    @Test
    void aPoisonEventShowsInItsDomainsHealthWhileTheNodeStaysInService() {
        String poisoned = register(POISON + " " + UUID.randomUUID());
        String healthy = register("Healthy " + UUID.randomUUID());

        JsonNode domain = await().atMost(Duration.ofSeconds(20)).until(
                () -> operator.get("/actuator/health/poison").json(),
                health -> health.at("/components/domains/components/poison/details/" + GROUP + "/deadLetters")
                        .asLong() > 0);
        Http.Response domainHealth = http.get("/actuator/health/poison");
        assertThat(domainHealth.status()).as("a monitor of the domain sees it fail").isEqualTo(503);
        assertThat(domain.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(domain.at("/components/domains/components/poison/status").asText()).isEqualTo("DEGRADED");

        Http.Response overall = http.get("/actuator/health");
        assertThat(overall.status()).as(overall.toString()).isEqualTo(200);
        assertThat(overall.json().get("status").asText()).isEqualTo("DEGRADED");
        assertThat(overall.json().at("/components/domains/components/poison/details").isMissingNode())
                .as("no details without an operator's token").isTrue();
        assertThat(operator.get("/actuator/health").json()
                .at("/components/domains/components/poison/details/" + GROUP + "/deadLetters").asLong()).isPositive();
        Http.Response readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.status()).as(readiness.toString()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/customer").status()).as("other domains are unaffected").isEqualTo(200);
        // The poison event parked its own sequence and nothing else: the next customer was projected.
        JdbcTemplate poison = stores.get("poison").jdbc();
        await().atMost(Duration.ofSeconds(20)).until(() -> seen(poison, healthy) == 1);
        assertThat(seen(poison, poisoned)).isZero();
    }

    private String register(String name) {
        return Identities.signUp(http, name).id();
    }

    private static int seen(JdbcTemplate poison, String customer) {
        return poison.queryForObject("SELECT count(*) FROM seen_customers WHERE customer_id = ?", Integer.class,
                UUID.fromString(customer));
    }

    private static List<String> names(JsonNode components) {
        List<String> names = new ArrayList<>();
        components.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
