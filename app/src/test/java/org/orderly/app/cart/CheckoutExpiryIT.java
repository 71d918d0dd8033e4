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
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.Shop;
import org.orderly.app.OrderlyApplication;

/**
 * A checkout session left unconfirmed expires through its persisted deadline, also when the application stopped
 * and started again in between: it becomes EXPIRED and changes no more, its cart stays ACTIVE with its lines, and a
 * new session starts from the same cart. A short session timeout makes it happen while the test watches.
 */
class CheckoutExpiryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anUnconfirmedSessionExpiresThroughItsDeadlineAcrossARestartANewOneStartsFromTheSameCartAndRetentionRemovesTheAbandonedOne() {
        Map<String, Object> database = new HashMap<>(OrderlyTestDatabase.properties());
        String email;
        String cart;
        String checkoutId;
        Instant expiry;

        try (ConfigurableApplicationContext first = start(OrderlyTestDatabase.keptOnStop(database))) {
            Identities identities = identities(first);
            String pen = new Shop(identities).product("Hesitant pen", "3.00");
            Identities.Customer ada = identities.customer("Ada");
            email = ada.email();
            cart = open(ada.http());
            added(ada.http(), cart, pen, 1);
            checkoutId = start(ada.http(), cart);
            JsonNode open = awaitCheckout(ada.http(), checkoutId, c -> true);
            expiry = Instant.parse(open.get("expiresAt").asText());
            assertThat(open.get("status").asText()).isEqualTo("OPEN");
            JdbcTemplate sagas = first.getBean(DomainStores.class).get("sagas").jdbc();
            assertThat(sagas.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE execution_time = ?",
                    Long.class, java.sql.Timestamp.from(expiry))).as("the session's deadline is persisted at the stop")
                    .isEqualTo(1);
        }

        try (ConfigurableApplicationContext second = start(database)) {
            Identities identities = identities(second);
            Http ada = identities.anonymous().as(identities.token(email, Identities.CUSTOMER_PASSWORD));
            JsonNode expired = awaitCheckout(ada, checkoutId, c -> c.get("status").asText().equals("EXPIRED"));
            assertThat(expired.get("orderId").isNull()).isTrue();
            assertThat(Instant.now()).isAfterOrEqualTo(expiry);
            assertProblem(ada.put("/api/checkouts/" + checkoutId + "/shipping-method", "{\"method\": \"STANDARD\"}"),
                    409);
            assertProblem(ada.post("/api/checkouts/" + checkoutId + "/confirmation", null), 409);

            JsonNode stillThere = awaitCart(ada, cart, c -> true);
            assertThat(stillThere.get("status").asText()).as("the session held nothing of the cart").isEqualTo("ACTIVE");
            assertThat(stillThere.get("lines")).hasSize(1);
            String again = start(ada, cart);
            assertThat(again).isNotEqualTo(checkoutId);
            assertThat(awaitCheckout(ada, again, c -> true).get("status").asText()).isEqualTo("OPEN");

            // The abandoned session goes from the read model once the retention period has passed since it
            // expired, with its lines; the open one and the cart stay, and so do the session's events.
            Http operator = identities.operator();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                Http.Response asked = operator.post("/api/ops/retention/runs", null);
                assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
                long run = asked.json().get("run").asLong();
                await().atMost(WAIT).until(() -> operator.get("/api/ops/retention").json()
                        .get("lastFinishedRun").asLong() >= run);
                return ada.get("/api/checkouts/" + checkoutId).status() == 404;
            });
            assertThat(ada.get("/api/checkouts/" + again).status()).isEqualTo(200);
            assertThat(ada.get("/api/carts/" + cart).status()).isEqualTo(200);
            JdbcTemplate cartStore = second.getBean(DomainStores.class).get("cart").jdbc();
            assertThat(cartStore.queryForObject("SELECT count(*) FROM checkout_lines WHERE checkout_id = ?::uuid",
                    Long.class, checkoutId)).isZero();
            assertThat(second.getBean(JdbcTemplate.class).queryForObject(
                    "SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?", Long.class,
                    checkoutId)).as("the session's events stay").isPositive();
        }
    }

    /** A session timeout long enough to start a session and stop, short enough to have passed after a restart. */
    private static ConfigurableApplicationContext start(Map<String, Object> database) {
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(database)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0", "--orderly.checkout.session-timeout=PT6S",
                        "--orderly.retention.abandoned-carts=PT1S");
    }

    private static Identities identities(ConfigurableApplicationContext context) {
        return new Identities(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    private static String start(Http customer, String cartId) {
        Http.Response[] started = new Http.Response[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            started[0] = customer.post("/api/checkouts", "{\"cartId\": \"" + cartId + "\"}");
            return started[0].status() != 503;
        });
        assertThat(started[0].status()).as(started[0].toString()).isEqualTo(201);
        return started[0].json().get("checkoutId").asText();
    }

    private static JsonNode awaitCheckout(Http caller, String checkoutId, java.util.function.Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response read = caller.get("/api/checkouts/" + checkoutId);
            found[0] = read.status() == 200 ? read.json() : null;
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }
}
