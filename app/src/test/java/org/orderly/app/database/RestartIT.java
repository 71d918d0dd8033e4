package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** Stops and restarts the whole application on the same database, as a user restarting it would. */
class RestartIT {

    @Test
    void aRestartKeepsEveryEventAndTheReadModelCarriesOn() {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        String email = "restart-" + UUID.randomUUID() + "@example.com";

        String id;
        long eventsBefore;
        try (ConfigurableApplicationContext first = start(OrderlyTestDatabase.keptOnStop(database))) {
            Identities identities = identities(first);
            Http http = identities.staff();
            id = identities.anonymous().post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"Before\", "
                            + "\"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}")
                    .json().get("customerId").asText();
            await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/api/customers/" + id).status() == 200);
            eventsBefore = eventCount(first);
        }

        try (ConfigurableApplicationContext second = start(database)) {
            Identities identities = identities(second);
            Http http = identities.staff();
            assertThat(eventCount(second)).isEqualTo(eventsBefore);
            assertThat(http.get("/api/customers/" + id).json().get("email").asText()).isEqualTo(email);
            // the customer's login survived the restart: they act as themselves
            Http customer = identities.anonymous().as(identities.token(email, Identities.CUSTOMER_PASSWORD));

            assertThat(customer.post("/api/customers/" + id + "/deactivation", null, "If-Match", "\"0\"").status())
                    .isEqualTo(204);
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    http.get("/api/customers/" + id).json().get("status").asText().equals("DEACTIVATED"));
            assertThat(identities.anonymous().post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"Again\", "
                    + "\"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}").status())
                    .as("the email claim survived the restart too").isEqualTo(409);
        }
    }

    @Test
    void theDatabaseRunsWithFsyncAndSynchronousCommitOn() {
        try (ConfigurableApplicationContext app = start(OrderlyTestDatabase.properties())) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW full_page_writes", String.class)).isEqualTo("on");
        }
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        // A command-line argument: a builder property is a default, which application.yml's port overrides.
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(database)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0");
    }

    private static Identities identities(ConfigurableApplicationContext context) {
        return new Identities(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static long eventCount(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class)
                .queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class);
    }
}
