package org.orderly.app.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.PersonalDataHolders;
import org.orderly.app.support.Shop;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.query.notification.NotificationSender;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Personal data that leaves the events by other ways than a projection: the cause text of a dead letter (a
 * handler's exception quoting the email), the {@code Idempotency-Key} answers, the saga's state and the workflow
 * record of a cancellation with the customer's own words, event metadata, and a notification sender's failure
 * quoting the address. None of it is readable in storage or in the log, and after the customer's erasure none
 * of it is left at all; the operator's dead-letter view still tells what failed. A database error's text, which
 * ends up in logs and dead letters, quotes no value of the row it failed on.
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own, with a failing projection and a failing sender
@Import(PersonalDataOutsideEventsIT.LeakyParts.class)
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataOutsideEventsIT {

    static final String LEAKY = "leak";

    @TestConfiguration(proxyBeanMethods = false)
    static class LeakyParts {
        @Bean
        DomainStoreDefinition leakyDomainStore() {
            return DomainStoreDefinition.of("leaky", "leaky-test");
        }

        @Bean
        LeakyProjection leakyProjection(DomainStores stores) {
            return new LeakyProjection(stores.get("leaky").jdbc());
        }

        /** A mail server that refuses the sentinel customers' addresses, quoting them, as real ones do. */
        @Bean
        NotificationSender refusingSender() {
            return notification -> {
                if (notification.recipient() != null && notification.recipient().contains(LEAKY)) {
                    throw new IllegalStateException("550 mailbox <" + notification.recipient() + "> unavailable");
                }
            };
        }
    }

    /** Fails for the sentinel customers with their email and name in the exception, as a careless handler would. */
    @ProcessingGroup("leaky-test")
    static class LeakyProjection {
        private final JdbcTemplate jdbc;

        LeakyProjection(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @EventHandler
        void on(CustomerRegisteredEvent event) {
            if (event.email().contains(LEAKY)) {
                throw new IllegalStateException("Cannot project " + event.email() + " (" + event.name() + ")");
            }
            jdbc.update("INSERT INTO leaky_seen (customer_id) VALUES (?) ON CONFLICT DO NOTHING",
                    event.customerId().value());
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate main;
    @Autowired
    DomainStores stores;

    @Test
    void deadLettersIdempotencyAnswersSagasMetadataAndLogsHoldNoReadablePersonalDataAndNoneAfterErasure(
            CapturedOutput output) {
        Identities identities = new Identities(port);
        Shop shop = new Shop(identities);
        String sentinel = LEAKY + UUID.randomUUID().toString().replace("-", "");
        String email = sentinel + "@example.com";
        String name = "Name " + sentinel;
        String reason = "Reason " + sentinel;
        Http.Response registered = postWithKey(identities, "/api/customers", "{\"email\": \"" + email + "\", \"name\": \""
                + name + "\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        String id = registered.json().get("customerId").asText();
        Http customer = identities.anonymous().as(identities.token(email, Identities.CUSTOMER_PASSWORD));
        Http.Response again = postWithKey(identities, "/api/customers", "{\"email\": \"" + email
                + "\", \"name\": \"Someone else\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
        assertThat(again.status()).as("the email is taken").isEqualTo(409);
        assertThat(again.body()).doesNotContain(sentinel);
        Identities.Customer other = identities.customer("Other " + UUID.randomUUID());
        assertThat(identities.staff().put("/api/customers/" + id + "/credit-limit",
                "{\"amount\": \"1000.00\", \"currency\": \"EUR\"}").status()).isEqualTo(204);

        // an order, cancelled in the customer's own words
        String product = shop.product("Leaky pen", "2.00");
        shop.receive(product, 10);
        String[] order = new String[1];
        await().atMost(Shop.PATIENCE).until(() -> {
            Http.Response placed = customer.post("/api/orders", "{\"lines\": [" + Shop.line(product, 1) + "]}");
            order[0] = placed.status() == 202 ? placed.json().get("orderId").asText() : null;
            return order[0] != null;
        });
        shop.awaitOrderStatus(order[0], "CONFIRMED");
        Http.Response cancelled = customer.post("/api/orders/" + order[0] + "/cancellation",
                "{\"reason\": \"" + reason + "\"}");
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(202);
        shop.awaitWorkflowStatus(order[0], "COMPENSATED");

        // the dead letter: its cause is stored sealed, and the operator reads it opened
        DomainStore leaky = stores.get("leaky");
        await().atMost(Shop.PATIENCE).until(() -> leaky.jdbc().queryForObject(
                "SELECT count(*) FROM dead_letter_entry WHERE sequenceIdentifier = ?", Long.class, id) > 0);
        assertThat(leaky.jdbc().queryForObject("SELECT causeType FROM dead_letter_entry WHERE sequenceIdentifier = ?",
                String.class, id)).isEqualTo(IllegalStateException.class.getName());
        assertThat(leaky.jdbc().queryForObject("SELECT causeMessage FROM dead_letter_entry WHERE sequenceIdentifier = ?",
                String.class, id)).startsWith("pd1:" + id + ":").doesNotContain(sentinel);
        assertThat(deadLetterCause(identities, id)).isEqualTo("Cannot project " + email + " (" + name + ")");

        // a notification the mail server refused, quoting the address
        await().atMost(Shop.PATIENCE).until(() -> stores.get("notification").jdbc().queryForObject(
                "SELECT count(*) FROM notifications WHERE customer_id = ?::uuid AND last_error LIKE ?",
                Long.class, id, "%550 mailbox%") > 0);

        assertThat(main.queryForList("""
                SELECT subject_id FROM idempotency.idempotent_request WHERE subject_id = ? OR principal = ?
                """, String.class, id, id)).as("the sign-up's answer, filed under the customer").isNotEmpty();
        assertThat(holdersOf(sentinel)).as("readable copies before the erasure: the read models and the outbox only")
                .allMatch(table -> table.startsWith("customer.") || table.startsWith("orders.")
                        || table.startsWith("notification.") || table.startsWith("identity.")
                        || table.startsWith("customer_registry."), "a read model or the email registry");
        assertThat(main.queryForList("SELECT convert_from(meta_data, 'UTF8') FROM event_store.domain_event_entry "
                + "WHERE aggregate_identifier = ?", String.class, id)).isNotEmpty()
                .allSatisfy(metaData -> assertThat(metaData).doesNotContain(sentinel).doesNotContain("@"));

        Http.Response erasure = customer.request("POST", "/api/customers/" + id + "/erasure", null);
        assertThat(erasure.status()).as(erasure.toString()).isEqualTo(202);
        await().atMost(Shop.PATIENCE).until(() -> identities.staff().get(erasure.header("Location")).json()
                .path("status").asText().equals("ERASED"));

        assertThat(deadLetterCause(identities, id)).isEqualTo(PersonalData.ERASED);
        assertThat(main.queryForObject("""
                SELECT count(*) FROM idempotency.idempotent_request WHERE subject_id = ? OR principal = ?
                """, Long.class, id, id)).as("the customer's idempotency answers").isZero();
        await().atMost(Shop.PATIENCE).untilAsserted(() ->
                assertThat(holdersOf(sentinel)).as("tables still holding the sentinel").isEmpty());
        assertThat(identities.staff().get("/api/customers/" + other.id()).json().get("email").asText())
                .isEqualTo(other.email());
        assertThat(output.getAll()).as("the log tells of the refused sends by the exception's class")
                .contains("attempt 1 failed", IllegalStateException.class.getName()).doesNotContain(sentinel);
    }

    @Test
    void aDatabaseErrorQuotesNoValueOfTheRowItFailedOn() {
        String value = LEAKY + UUID.randomUUID();
        Runnable answer = () -> main.update("""
                INSERT INTO idempotency.idempotent_request (principal, idempotency_key, fingerprint, state, created_at,
                       expires_at) VALUES (?, 'k', 'f', 'IN_PROGRESS', now(), now())
                """, value);
        answer.run();
        assertThatThrownBy(answer::run).as("the main pool").isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining("duplicate key").hasMessageNotContaining(value);
        UUID row = UUID.randomUUID();
        JdbcTemplate leaky = stores.get("leaky").jdbc();
        leaky.update("INSERT INTO leaky_seen (customer_id) VALUES (?)", row);
        assertThatThrownBy(() -> leaky.update("INSERT INTO leaky_seen (customer_id) VALUES (?)", row))
                .as("a domain store's pool").isInstanceOf(DuplicateKeyException.class)
                .hasMessageNotContaining(row.toString());
    }

    private String deadLetterCause(Identities identities, String sequence) {
        for (JsonNode letter : identities.operator().get("/api/ops/dead-letters?processor=leaky-test&limit=100").json()
                .path("items")) {
            if (letter.path("sequenceIdentifier").asText().equals(sequence)) {
                return letter.path("causeMessage").asText();
            }
        }
        throw new AssertionError("No dead letter of sequence " + sequence);
    }

    private List<String> holdersOf(String sentinel) {
        return PersonalDataHolders.holdersOf(main, stores, sentinel);
    }

    private Http.Response postWithKey(Identities identities, String path, String body) {
        return identities.anonymous().post(path, body, "Idempotency-Key", UUID.randomUUID().toString());
    }
}
