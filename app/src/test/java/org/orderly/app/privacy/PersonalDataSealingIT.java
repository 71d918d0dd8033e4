package org.orderly.app.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.PersonalData;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.SubjectKeys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Personal data is stored sealed with its subject's key, on real PostgreSQL: the event store holds no email or
 * name in readable form, the read models show them, and once the subject's key is gone a replay rebuilds the
 * read model with placeholders instead, without a dead letter.
 */
@OrderlyIntegrationTest
class PersonalDataSealingIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    DomainStores stores;
    @Autowired
    SubjectKeys keys;
    Identities identities;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
    }

    @Test
    void theEventStoreHoldsNoEmailOrNameInReadableFormWhileTheReadModelShowsThem() {
        String sentinel = "sentinel" + UUID.randomUUID().toString().replace("-", "");
        Identities.Customer customer = identities.customer(sentinel + "@example.com", "Name " + sentinel);

        JsonNode read = awaitCustomer(customer);

        assertThat(read.get("email").asText()).isEqualTo(sentinel + "@example.com");
        assertThat(read.get("name").asText()).isEqualTo("Name " + sentinel);
        assertThat(eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE convert_from(payload, 'UTF8') LIKE ? OR convert_from(meta_data, 'UTF8') LIKE ?
                """, Long.class, "%" + sentinel + "%", "%" + sentinel + "%")).isZero();
        assertThat(eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? AND convert_from(payload, 'UTF8') LIKE ?
                """, Long.class, customer.id(), "%\"email\":\"pd1:" + customer.id() + ":%")).isEqualTo(1);
        assertThat(stores.get("keys").jdbc().queryForObject(
                "SELECT count(*) FROM subject_key WHERE subject_id = ?", Long.class, customer.id())).isEqualTo(1);
    }

    @Test
    void theApplicationsEventStoreRoleCannotReadTheKeys() {
        assertThat(eventStore.queryForObject("SELECT has_schema_privilege(current_user, 'keys', 'USAGE')",
                Boolean.class)).isFalse();
    }

    @Test
    void afterItsKeyIsGoneAReplayRebuildsTheCustomerWithPlaceholdersAndParksNothing() {
        String sentinel = "erased" + UUID.randomUUID().toString().replace("-", "");
        Identities.Customer erased = identities.customer(sentinel + "@example.com", "Name " + sentinel);
        Identities.Customer kept = identities.customer("Kept " + UUID.randomUUID());
        awaitCustomer(erased);
        awaitCustomer(kept);

        keys.erase(erased.id());
        Http operator = identities.operator();
        Http.Response started = operator.request("POST", "/api/ops/processors/customers/replay", null);
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String replayId = started.json().get("replayId").asText();
        await().atMost(Duration.ofSeconds(60)).until(
                () -> operator.get("/api/ops/replays/" + replayId).json().get("outcome").asText(),
                "COMPLETED"::equals);

        JsonNode staffView = identities.staff().get("/api/customers/" + erased.id()).json();
        assertThat(staffView.get("email").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(staffView.get("name").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(stores.get("customer").jdbc().queryForObject(
                "SELECT count(*) FROM customers WHERE email LIKE ? OR name LIKE ?", Long.class,
                "%" + sentinel + "%", "%" + sentinel + "%")).isZero();
        assertThat(identities.staff().get("/api/customers/" + kept.id()).json().get("email").asText())
                .isEqualTo(kept.email());
        assertThat(operator.get("/api/ops/processors/customers").json().get("deadLetters").asLong()).isZero();
    }

    private JsonNode awaitCustomer(Identities.Customer customer) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> customer.http().get("/api/customers/" + customer.id()),
                response -> response.status() == 200).json();
    }
}
