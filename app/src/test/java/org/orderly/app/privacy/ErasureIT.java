package org.orderly.app.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.PersonalData;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.PersonalDataHolders;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The right to erasure over REST, on real PostgreSQL: the customer's key goes at once, each domain forgets its
 * readable copies and the progress shows them confirm, after which no table of any domain store, the command
 * side's registry or the event store holds the customer's email or name; the email is free again.
 */
@OrderlyIntegrationTest
class ErasureIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate main;
    @Autowired
    DomainStores stores;
    Identities identities;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
    }

    @Test
    void anErasedCustomerIsFoundNowhereAndTheirEmailIsFreeForANewSignUp() {
        String sentinel = "forget" + UUID.randomUUID().toString().replace("-", "");
        String email = sentinel + "@example.com";
        Identities.Customer customer = identities.customer(email, "Name " + sentinel);
        Identities.Customer other = identities.customer("Other " + UUID.randomUUID());
        awaitNotification(customer);
        awaitNotification(other);

        Http.Response asked = customer.http().request("POST", "/api/customers/" + customer.id() + "/erasure", null);

        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        String progress = asked.header("Location");
        assertThat(progress).isEqualTo("/api/customers/" + customer.id() + "/erasure");
        JsonNode done = await().atMost(Duration.ofSeconds(30)).until(
                () -> identities.staff().get(progress).json(), view -> view.path("status").asText().equals("ERASED"));
        List<String> processors = new ArrayList<>();
        done.get("parts").forEach(part -> processors.add(part.get("processor").asText()));
        assertThat(processors).contains("customers", "order-customer-copies", "notification-contacts");
        assertThat(identities.staff().get("/api/customers/" + customer.id()).json().get("email").asText())
                .isEqualTo(PersonalData.ERASED);
        assertThat(holdersOf(sentinel)).as("tables still holding the erased customer's email or name").isEmpty();
        Identities.TokenResponse erasedLogin = identities.requestToken(email, Identities.CUSTOMER_PASSWORD);
        assertThat(erasedLogin.status()).as(erasedLogin.body()).isEqualTo(400);
        assertThat(erasedLogin.json().get("error").asText()).as("a login no account has").isEqualTo("invalid_grant");
        assertThat(customer.http().request("POST", "/api/customers/" + customer.id() + "/erasure", null).status())
                .as("asking again").isEqualTo(202);
        identities.customer(email, "A new customer with the same email");
        assertThat(identities.staff().get("/api/customers/" + other.id()).json().get("email").asText())
                .isEqualTo(other.email());
    }

    @Test
    void anotherCustomerCannotEraseOrFollowTheErasureOfACustomer() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Identities.Customer eve = identities.customer("Eve " + UUID.randomUUID());

        assertThat(eve.http().request("POST", "/api/customers/" + ada.id() + "/erasure", null).status()).isEqualTo(404);
        assertThat(eve.http().get("/api/customers/" + ada.id() + "/erasure").status()).isEqualTo(404);
        assertThat(ada.http().get("/api/customers/" + ada.id() + "/erasure").status())
                .as("no erasure asked for").isEqualTo(404);
    }

    private void awaitNotification(Identities.Customer customer) {
        await().atMost(Duration.ofSeconds(30)).until(() -> customer.http()
                .get("/api/notifications?customerId=" + customer.id()).json().path("items").size() > 0);
    }

    private List<String> holdersOf(String sentinel) {
        return PersonalDataHolders.holdersOf(main, stores, sentinel);
    }
}
