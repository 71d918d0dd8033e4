package org.orderly.app.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@OrderlyIntegrationTest
class CustomerApiIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Identities identities;
    /** Signs up: no token. */
    Http http;
    /** Reads every customer and sets credit limits. */
    Http staff;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        http = identities.anonymous();
        staff = identities.staff();
    }

    @Test
    void registeringACustomerAnswers201WithItsLocationAndTheCustomerCanBeReadBack() {
        String email = uniqueEmail();
        Http.Response created = register(email, "Ada Lovelace");

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("customerId").asText();
        assertThat(created.header("Location")).isEqualTo("/api/customers/" + id);

        // registration is one event, carrying the credit limit: version 0
        JsonNode customer = awaitCustomer(id, c -> true);
        assertThat(customer.get("customerId").asText()).isEqualTo(id);
        assertThat(customer.get("email").asText()).isEqualTo(email);
        assertThat(customer.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(customer.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(customer.get("creditLimit").get("amount").asText()).isEqualTo("5000.00");
        assertThat(customer.get("creditLimit").get("currency").asText()).isEqualTo("EUR");
        assertThat(customer.get("version").asLong()).isEqualTo(0);
        assertThat(staff.get("/api/customers/" + id).header("ETag")).isEqualTo("\"0\"");
    }

    @Test
    void malformedJsonIsA400ProblemAndWritesNothing() {
        long before = eventCount();
        Http.Response response = http.post("/api/customers", "{\"email\": ");

        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("body");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aFieldOfTheWrongTypeIsA400NamingTheField() {
        Http.Response response = http.post("/api/customers", "{\"email\": [\"a@b.c\"], \"name\": \"Ada\"}");

        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("email");
    }

    @Test
    void anInvalidEmailAndABlankNameAreA400NamingBothFieldsAndWriteNothing() {
        long before = eventCount();
        Http.Response response = http.post("/api/customers", "{\"email\": \"not-an-email\", \"name\": \" \"}");

        assertProblem(response, 400);
        List<String> fields = new ArrayList<>();
        response.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("email", "name");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aDuplicateEmailIsA409AndWritesNothing() {
        String email = uniqueEmail();
        assertThat(register(email, "First").status()).isEqualTo(201);
        long before = eventCount();

        Http.Response duplicate = register(email.toUpperCase(), "Second");

        assertProblem(duplicate, 409);
        assertThat(duplicate.json().get("errors").get(0).get("field").asText()).isEqualTo("email");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void concurrentRegistrationsWithOneEmailLetExactlyOneThrough() throws Exception {
        String email = uniqueEmail();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(() -> register(email, "Racer").status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnknownCustomerIsA404ForQueriesAndCommands() {
        String unknown = UUID.randomUUID().toString();
        Http customer = identities.customer("Someone").http();

        assertProblem(staff.get("/api/customers/" + unknown), 404);
        assertProblem(customer.get("/api/customers/" + unknown), 404);
        assertProblem(customer.post("/api/customers/" + unknown + "/deactivation", null), 404);
        assertProblem(customer.put("/api/customers/" + unknown + "/email", "{\"email\": \"" + uniqueEmail() + "\"}"), 404);
    }

    @Test
    void anIdThatIsNotAUuidIsA400NamingIt() {
        Http.Response response = staff.get("/api/customers/not-a-uuid");

        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("customerId");
    }

    @Test
    void changingTheEmailReachesTheReadModelAndFreesTheOldAddress() {
        String oldEmail = uniqueEmail();
        String newEmail = uniqueEmail();
        String id = register(oldEmail, "Grace").json().get("customerId").asText();
        awaitCustomer(id, c -> true);

        Http.Response changed = as(oldEmail).put("/api/customers/" + id + "/email", "{\"email\": \"" + newEmail + "\"}",
                "If-Match", "\"0\"");

        assertThat(changed.status()).isEqualTo(204);
        JsonNode customer = awaitCustomer(id, c -> c.get("email").asText().equals(newEmail));
        assertThat(customer.get("version").asLong()).isEqualTo(1);
        assertThat(register(oldEmail, "Someone else").status()).isEqualTo(201);
    }

    @Test
    void staffCanGiveACreditLimitAtRegistrationAndChangeItLater() {
        Http.Response created = staff.post("/api/customers", "{\"email\": \"" + uniqueEmail()
                + "\", \"name\": \"Limited\", \"password\": \"" + Identities.CUSTOMER_PASSWORD
                + "\", \"creditLimit\": {\"amount\": 120.5, \"currency\": \"EUR\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("customerId").asText();
        awaitCustomer(id, c -> c.path("creditLimit").path("amount").asText().equals("120.50"));

        assertThat(staff.put("/api/customers/" + id + "/credit-limit", "{\"amount\": \"900.00\", \"currency\": \"EUR\"}")
                .status()).isEqualTo(204);
        awaitCustomer(id, c -> c.path("creditLimit").path("amount").asText().equals("900.00"));
    }

    @Test
    void aCreditLimitInASelfServiceSignUpIsA400AndWritesNothing() {
        long before = eventCount();

        Http.Response response = http.post("/api/customers", "{\"email\": \"" + uniqueEmail()
                + "\", \"name\": \"Greedy\", \"password\": \"" + Identities.CUSTOMER_PASSWORD
                + "\", \"creditLimit\": {\"amount\": 999999, \"currency\": \"EUR\"}}");

        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("creditLimit");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void anInvalidCreditLimitIsA400NamingTheField() {
        String id = register(uniqueEmail(), "Limited").json().get("customerId").asText();
        long before = eventCount();

        Http.Response badCurrency = staff.put("/api/customers/" + id + "/credit-limit", "{\"amount\": \"9.00\", \"currency\": \"XXY\"}");
        Http.Response negative = staff.put("/api/customers/" + id + "/credit-limit", "{\"amount\": \"-9.00\", \"currency\": \"EUR\"}");
        Http.Response tooPrecise = staff.put("/api/customers/" + id + "/credit-limit", "{\"amount\": \"9.001\", \"currency\": \"EUR\"}");

        assertProblem(badCurrency, 400);
        assertThat(badCurrency.json().get("errors").get(0).get("field").asText()).isEqualTo("creditLimit");
        assertProblem(negative, 400);
        assertThat(negative.json().get("errors").get(0).get("field").asText()).isEqualTo("creditLimit");
        assertProblem(tooPrecise, 400);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aStaleIfMatchIsA409AndWritesNothing() {
        String email = uniqueEmail();
        String id = register(email, "Alan").json().get("customerId").asText();
        long before = eventCount();

        Http.Response response = as(email).post("/api/customers/" + id + "/deactivation", null, "If-Match", "\"7\"");

        assertProblem(response, 409);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aMalformedIfMatchIsA400NamingTheHeader() {
        String email = uniqueEmail();
        String id = register(email, "Alan").json().get("customerId").asText();

        Http.Response response = as(email).post("/api/customers/" + id + "/deactivation", null, "If-Match", "yesterday");

        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("If-Match");
    }

    @Test
    void changingADeactivatedCustomerIsA409AndWritesNothing() {
        String email = uniqueEmail();
        String id = register(email, "Barbara").json().get("customerId").asText();
        Http http = as(email);
        assertThat(http.post("/api/customers/" + id + "/deactivation", null, "If-Match", "\"0\"").status()).isEqualTo(204);
        awaitCustomer(id, c -> c.get("status").asText().equals("DEACTIVATED"));
        long before = eventCount();

        assertProblem(http.put("/api/customers/" + id + "/email", "{\"email\": \"" + uniqueEmail() + "\"}"), 409);
        assertProblem(http.post("/api/customers/" + id + "/deactivation", null), 409);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void theListPagesThroughEveryCustomerOnceInAStableOrder() {
        Set<String> registered = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            registered.add(register(uniqueEmail(), "Page " + i).json().get("customerId").asText());
        }
        registered.forEach(id -> awaitCustomer(id, c -> true));

        List<String> seen = new ArrayList<>();
        for (JsonNode body : staff.pages("/api/customers?limit=3")) {
            assertThat(body.get("items").size()).isLessThanOrEqualTo(3);
            body.get("items").forEach(item -> seen.add(item.get("customerId").asText()));
        }

        assertThat(seen).doesNotHaveDuplicates().containsAll(registered).isSorted();
    }

    @Test
    void theLimitIsCappedAndABadLimitOrCursorIsA400() {
        for (int i = 0; i < 3; i++) {
            register(uniqueEmail(), "Cap " + i);
        }
        Http.Response capped = staff.get("/api/customers?limit=100000");
        assertThat(capped.status()).isEqualTo(200);
        assertThat(capped.json().get("items").size()).isLessThanOrEqualTo(100);

        Http.Response zero = staff.get("/api/customers?limit=0");
        assertProblem(zero, 400);
        assertThat(zero.json().get("errors").get(0).get("field").asText()).isEqualTo("limit");

        Http.Response badCursor = staff.get("/api/customers?cursor=bm90LWEtdXVpZA");
        assertProblem(badCursor, 400);
        assertThat(badCursor.json().get("errors").get(0).get("field").asText()).isEqualTo("cursor");
    }

    private Http.Response register(String email, String name) {
        return http.post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \"" + name
                + "\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
    }

    /** Calls as the customer who signed up with this email. */
    private Http as(String email) {
        return http.as(identities.token(email, Identities.CUSTOMER_PASSWORD));
    }

    private JsonNode awaitCustomer(String id, java.util.function.Predicate<JsonNode> condition) {
        return Awaits.awaitFound(staff, "/api/customers/" + id, condition);
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

    private static String uniqueEmail() {
        return "c-" + UUID.randomUUID() + "@example.com";
    }
}
