package org.orderly.app.cart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.ApiAssertions.assertProblem;
import static org.orderly.app.support.CartTestSupport.added;
import static org.orderly.app.support.CartTestSupport.awaitCart;
import static org.orderly.app.support.CartTestSupport.open;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.CartTestSupport;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.Shop;

/**
 * A cart left idle expires through its persisted deadline, also when the application stopped and started again in
 * between, and an expired (abandoned) cart is removed from the read model by retention. Short idle timeouts and a
 * one-second retention make both happen while the test watches.
 */
class CartExpiryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aCartExpiresThroughItsDeadlineAcrossARestartChangesNoMoreAndRetentionRemovesItOnceAbandoned() {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        String customerEmail;
        String pen;
        String firstCart;
        Instant firstExpiry;

        try (ConfigurableApplicationContext first = start(OrderlyTestDatabase.keptOnStop(database), "PT10S")) {
            Identities identities = identities(first);
            Shop shop = new Shop(identities);
            pen = shop.product("Forgotten pen", "1.00");
            Identities.Customer ada = identities.customer("Ada");
            customerEmail = ada.email();
            firstCart = open(ada.http());
            added(ada.http(), firstCart, pen, 1);
            JsonNode cart = awaitCart(ada.http(), firstCart, c -> c.get("lines").size() == 1);
            firstExpiry = Instant.parse(cart.get("expiresAt").asText());
            assertThat(cart.get("status").asText()).isEqualTo("ACTIVE");
            JdbcTemplate sagas = first.getBean(DomainStores.class).get("sagas").jdbc();
            assertThat(sagas.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?", Long.class,
                    deadlineOf(sagas, firstExpiry))).as("the cart's deadline is pending at the stop").isEqualTo(1);
        }

        try (ConfigurableApplicationContext second = start(database, "PT2S")) {
            Identities identities = identities(second);
            Http ada = identities.anonymous().as(identities.token(customerEmail, Identities.CUSTOMER_PASSWORD));

            JsonNode expired = awaitCart(ada, firstCart, c -> !c.get("status").asText().equals("ACTIVE"));
            assertThat(expired.get("status").asText()).as("expired after the restart").isEqualTo("EXPIRED");
            assertThat(Instant.now()).isAfterOrEqualTo(firstExpiry);
            assertProblem(ada.post("/api/carts/" + firstCart + "/lines", Shop.line(pen, 1)), 409);
            assertProblem(ada.request("DELETE", "/api/carts/" + firstCart + "/lines", null), 409);

            // A new cart replaces the expired one, and expires in turn while the application runs.
            Http.Response reopened = ada.post("/api/carts", null);
            assertThat(reopened.status()).as(reopened.toString()).isEqualTo(201);
            String secondCart = reopened.json().get("cartId").asText();
            assertThat(secondCart).isNotEqualTo(firstCart);
            added(ada, secondCart, pen, 2);
            assertThat(awaitCart(ada, secondCart, c -> c.get("status").asText().equals("EXPIRED"))
                    .get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
            Http.Response changed = ada.put("/api/carts/" + secondCart + "/lines/" + pen, "{\"quantity\": 1}");
            assertProblem(changed, 409);
            assertThat(changed.json().get("detail").asText()).contains("EXPIRED");

            // Abandoned carts older than the retention period go; the active one stays, and the events stay.
            String thirdCart = open(ada);
            Http operator = identities.operator();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                Http.Response asked = operator.post("/api/ops/retention/runs", null);
                assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
                long run = asked.json().get("run").asLong();
                await().atMost(WAIT).until(() -> operator.get("/api/ops/retention").json()
                        .get("lastFinishedRun").asLong() >= run);
                return ada.get("/api/carts/" + firstCart).status() == 404
                        && ada.get("/api/carts/" + secondCart).status() == 404;
            });
            assertThat(ada.get("/api/carts/" + thirdCart).status()).isEqualTo(200);
            JdbcTemplate cart = second.getBean(DomainStores.class).get("cart").jdbc();
            assertThat(cart.queryForObject("SELECT count(*) FROM cart_lines WHERE cart_id IN (?::uuid, ?::uuid)",
                    Long.class, firstCart, secondCart)).isZero();
            JdbcTemplate eventStore = second.getBean(JdbcTemplate.class);
            assertThat(eventStore.queryForObject(
                    "SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                    firstCart)).as("the expired cart's events stay").isEqualTo(3);
            assertThat(open(ada)).as("still the active cart").isEqualTo(thirdCart);
        }
    }

    /** The task instance of the cart deadline due at {@code expiry}. */
    private static String deadlineOf(JdbcTemplate sagas, Instant expiry) {
        return sagas.queryForObject("SELECT task_instance FROM scheduled_tasks WHERE execution_time = ?", String.class,
                java.sql.Timestamp.from(expiry));
    }

    private static ConfigurableApplicationContext start(Map<String, Object> database, String idleTimeout) {
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(database)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0", "--orderly.cart.idle-timeout=" + idleTimeout, "--orderly.retention.abandoned-carts=PT1S");
    }

    private static Identities identities(ConfigurableApplicationContext context) {
        return new Identities(((WebServerApplicationContext) context).getWebServer().getPort());
    }
}
