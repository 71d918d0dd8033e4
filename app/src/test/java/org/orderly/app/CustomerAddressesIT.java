package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.ApiAssertions.assertProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A customer's address book over REST, on real PostgreSQL: every endpoint and refusal, the rules of the default
 * shipping and billing addresses, who may see and change it, its place in the data export, and its erasure with the
 * customer; the events hold every address sealed.
 */
@OrderlyIntegrationTest
class CustomerAddressesIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    DomainStores stores;
    Identities identities;
    Http staff;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        staff = identities.staff();
    }

    @Test
    void anAddedAddressAnswers201WithItsLocationAndReadsBackNormalisedInTheAddressBook() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());

        Http.Response added = ada.http().post(addresses(ada), """
                {"recipientName": " Ada Lovelace ", "line1": "12 St James's Square", "line2": "Flat 3",
                 "postalCode": "SW1Y 4JH", "city": "London", "region": " ", "country": "gb",
                 "phone": "+44 20 7946 0958"}""");

        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        String addressId = added.json().get("addressId").asText();
        assertThat(added.header("Location")).isEqualTo(addresses(ada) + "/" + addressId);
        JsonNode address = ada.http().get(added.header("Location"), "Orderly-Position", position(added)).json();
        assertThat(address.get("addressId").asText()).isEqualTo(addressId);
        assertThat(address.get("recipientName").asText()).isEqualTo("Ada Lovelace");
        assertThat(address.get("line1").asText()).isEqualTo("12 St James's Square");
        assertThat(address.get("line2").asText()).isEqualTo("Flat 3");
        assertThat(address.get("postalCode").asText()).isEqualTo("SW1Y 4JH");
        assertThat(address.get("city").asText()).isEqualTo("London");
        assertThat(address.get("region").isNull()).as("a blank region is none").isTrue();
        assertThat(address.get("country").asText()).isEqualTo("GB");
        assertThat(address.get("phone").asText()).isEqualTo("+44 20 7946 0958");
        assertThat(address.get("defaultShipping").asBoolean()).isFalse();
        assertThat(address.get("defaultBilling").asBoolean()).isFalse();
        Http.Response book = ada.http().get(addresses(ada));
        assertThat(book.status()).isEqualTo(200);
        assertThat(book.json().get("customerId").asText()).isEqualTo(ada.id());
        assertThat(book.json().get("items")).hasSize(1);
        assertThat(book.json().get("items").get(0)).isEqualTo(address);
        assertThat(book.json().get("defaultShippingAddressId").isNull()).isTrue();
        assertThat(book.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void anAddressEventMovesTheCustomersVersionSoTheirETagStillGuardsAnEmailChange() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http.Response added = add(ada, address("Home", "DE"), true, false);

        Http.Response customer = ada.http().get("/api/customers/" + ada.id(), "Orderly-Position", position(added));
        assertThat(customer.json().get("version").asLong()).as("registered, added, default set").isEqualTo(2);
        Http.Response changed = ada.http().put("/api/customers/" + ada.id() + "/email",
                "{\"email\": \"ada-" + UUID.randomUUID() + "@example.com\"}", "If-Match", customer.header("ETag"));

        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
    }

    @Test
    void ifMatchTakesTheAddressBooksETagAndAStaleOneIsA409ThatWritesNothing() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http.Response added = add(ada, address("Home", "GB"), false, false);
        String etag = ada.http().get(addresses(ada), "Orderly-Position", position(added)).header("ETag");
        String home = id(added);
        long before = eventCount();

        assertProblem(ada.http().put(addresses(ada) + "/" + home, body(address("Stale", "GB"), null, null),
                "If-Match", "\"0\""), 409);
        assertProblem(ada.http().request("DELETE", addresses(ada) + "/" + home, null, "If-Match", "\"0\""), 409);
        assertProblem(ada.http().post(addresses(ada), body(address("Stale", "GB"), null, null), "If-Match", "\"0\""),
                409);
        assertThat(eventCount()).isEqualTo(before);

        Http.Response replaced = ada.http().put(addresses(ada) + "/" + home, body(address("Fresh", "GB"), null, null),
                "If-Match", etag);
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(204);
    }

    @Test
    void theDefaultsMoveWithTheFlagsAreClearedByFalseOrByRemovalAndAreNeverChosenUnasked() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        String home = id(add(ada, address("Home", "GB"), true, true));
        Http.Response officeAdded = add(ada, address("Office", "DE"), true, false);
        String office = id(officeAdded);

        JsonNode book = book(ada, officeAdded);
        assertThat(book.get("defaultShippingAddressId").asText()).as("taken by the office").isEqualTo(office);
        assertThat(book.get("defaultBillingAddressId").asText()).as("left with home").isEqualTo(home);
        assertThat(flags(book)).containsEntry(home, "billing").containsEntry(office, "shipping");
        assertThat(book.get("items").get(0).get("addressId").asText()).as("in the order added").isEqualTo(home);

        Http.Response unflagged = ada.http().put(addresses(ada) + "/" + office,
                body(address("Office", "DE"), false, null));
        assertThat(unflagged.status()).as(unflagged.toString()).isEqualTo(204);
        book = book(ada, unflagged);
        assertThat(book.get("defaultShippingAddressId").isNull()).as("false clears it").isTrue();
        assertThat(book.get("defaultBillingAddressId").asText()).as("omitted leaves it").isEqualTo(home);

        Http.Response removed = ada.http().request("DELETE", addresses(ada) + "/" + home, null);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        book = book(ada, removed);
        assertThat(book.get("defaultBillingAddressId").isNull()).as("removing the default clears it").isTrue();
        assertThat(book.get("items")).hasSize(1);
        assertThat(book.get("items").get(0).get("defaultBilling").asBoolean()).as("no other address took it").isFalse();
    }

    @Test
    void aReplacedAddressReadsAsSentUnderTheSameId() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        String home = id(add(ada, address("Home", "GB"), false, false));

        Http.Response replaced = ada.http().put(addresses(ada) + "/" + home, """
                {"recipientName": "Ada King", "line1": "Ockham Park", "postalCode": "GU23 6NX", "city": "Ockham",
                 "region": "Surrey", "country": "GB"}""");

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(204);
        JsonNode address = ada.http().get(addresses(ada) + "/" + home, "Orderly-Position", position(replaced)).json();
        assertThat(address.get("recipientName").asText()).isEqualTo("Ada King");
        assertThat(address.get("line1").asText()).isEqualTo("Ockham Park");
        assertThat(address.get("line2").isNull()).isTrue();
        assertThat(address.get("region").asText()).isEqualTo("Surrey");
        assertThat(address.get("phone").isNull()).isTrue();
    }

    @Test
    void anUnknownOrRemovedAddressIsA404ForEveryOperationAndWritesNothing() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        String home = id(add(ada, address("Home", "GB"), false, false));
        Http.Response removed = ada.http().request("DELETE", addresses(ada) + "/" + home, null);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        long before = eventCount();

        assertProblem(ada.http().get(addresses(ada) + "/" + home, "Orderly-Position", position(removed)), 404);
        assertProblem(ada.http().request("DELETE", addresses(ada) + "/" + home, null), 404);
        assertProblem(ada.http().put(addresses(ada) + "/" + home, body(address("Home", "GB"), null, null)), 404);
        assertProblem(ada.http().get(addresses(ada) + "/" + UUID.randomUUID()), 404);
        String unknownCustomer = UUID.randomUUID().toString();
        assertProblem(staff.get("/api/customers/" + unknownCustomer + "/addresses"), 404);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void badInputIsA400NamingTheFieldAndWritesNothing() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        String home = id(add(ada, address("Home", "GB"), false, false));
        long before = eventCount();
        Map<String, String> bad = new HashMap<>();
        bad.put("country", address("Home", "XX"));
        bad.put("line1", address("Home", "GB").replace("\"line1\": \"1 Main Street\"", "\"line1\": \" \""));
        bad.put("postalCode", address("Home", "GB").replace("\"postalCode\": \"10115\"", "\"postalCode\": \"10;115\""));
        bad.put("phone", address("Home", "GB").replace("\"city\"", "\"phone\": \"call me\", \"city\""));
        bad.put("recipientName", address("x".repeat(201), "GB"));

        for (Map.Entry<String, String> each : bad.entrySet()) {
            for (Http.Response response : List.of(ada.http().post(addresses(ada), "{" + each.getValue() + "}"),
                    ada.http().put(addresses(ada) + "/" + home, "{" + each.getValue() + "}"))) {
                assertProblem(response, 400);
                assertThat(fields(response)).as(each.getKey() + ": " + response).containsExactly(each.getKey());
            }
        }
        Http.Response flag = ada.http().post(addresses(ada), "{" + address("Home", "GB") + ", \"defaultShipping\": 1}");
        assertProblem(flag, 400);
        assertThat(fields(flag)).containsExactly("defaultShipping");
        assertProblem(ada.http().get(addresses(ada) + "/not-an-id"), 400);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aTwentyFirstAddressIsA409AndWritesNothing() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http.Response last = null;
        for (int i = 0; i < 20; i++) {
            last = add(ada, address("Home " + i, "FR"), false, false);
        }
        long before = eventCount();

        Http.Response refused = ada.http().post(addresses(ada), body(address("One too many", "FR"), null, null));

        assertProblem(refused, 409);
        assertThat(refused.json().get("detail").asText()).contains("at most 20 addresses");
        assertThat(eventCount()).isEqualTo(before);
        assertThat(book(ada, last).get("items")).hasSize(20);
    }

    @Test
    void anotherCustomerFindsNoneOfACustomersAddressesWhileStaffReadThemButChangeNone() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Identities.Customer eve = identities.customer("Eve " + UUID.randomUUID());
        Http.Response added = add(ada, address("Home", "GB"), true, true);
        String home = id(added);
        long before = eventCount();

        assertProblem(eve.http().get(addresses(ada), "Orderly-Position", position(added)), 404);
        assertProblem(eve.http().get(addresses(ada) + "/" + home, "Orderly-Position", position(added)), 404);
        assertProblem(eve.http().post(addresses(ada), body(address("Eve's", "GB"), true, true)), 404);
        assertProblem(eve.http().put(addresses(ada) + "/" + home, body(address("Eve's", "GB"), null, null)), 404);
        assertProblem(eve.http().request("DELETE", addresses(ada) + "/" + home, null), 404);
        assertProblem(eve.http().get(addresses(eve) + "/" + home), 404);
        assertProblem(staff.post(addresses(ada), body(address("Staff's", "GB"), null, null)), 403);
        assertProblem(staff.put(addresses(ada) + "/" + home, body(address("Staff's", "GB"), null, null)), 403);
        assertProblem(staff.request("DELETE", addresses(ada) + "/" + home, null), 403);
        assertThat(eventCount()).isEqualTo(before);

        assertThat(staff.get(addresses(ada)).json().get("items").get(0).get("addressId").asText()).isEqualTo(home);
        assertThat(staff.get(addresses(ada) + "/" + home).json().get("line1").asText()).isEqualTo("1 Main Street");
        await().atMost(WAIT).until(() -> {
            List<String> audited = new ArrayList<>();
            identities.operator().get("/api/audit?subjectId=" + ada.id() + "&limit=100").json().get("items")
                    .forEach(entry -> {
                        if (entry.get("actorRoles").asText().equals("STAFF") && entry.get("outcome").asText().equals("200")) {
                            audited.add(entry.get("operation").asText());
                        }
                    });
            return audited.containsAll(List.of("GET /api/customers/{customerId}/addresses",
                    "GET /api/customers/{customerId}/addresses/{addressId}"));
        });
        assertThat(identities.anonymous().get(addresses(ada)).status()).isEqualTo(401);
    }

    @Test
    void aDeactivatedCustomersAddressBookCanBeReadButNotChanged() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        String home = id(add(ada, address("Home", "GB"), false, false));
        assertThat(ada.http().post("/api/customers/" + ada.id() + "/deactivation", null).status()).isEqualTo(204);
        long before = eventCount();

        assertProblem(ada.http().post(addresses(ada), body(address("Later", "GB"), null, null)), 409);
        assertProblem(ada.http().put(addresses(ada) + "/" + home, body(address("Later", "GB"), null, null)), 409);
        assertProblem(ada.http().request("DELETE", addresses(ada) + "/" + home, null), 409);
        assertThat(eventCount()).isEqualTo(before);
        assertThat(ada.http().get(addresses(ada) + "/" + home).status()).isEqualTo(200);
    }

    @Test
    void theStoredEventsHoldEveryAddressSealedAndTheExportShowsThemReadable() {
        String sentinel = "addr" + UUID.randomUUID().toString().replace("-", "");
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Identities.Customer bob = identities.customer("Bob " + UUID.randomUUID());
        String home = id(add(ada, address(sentinel + " home", "GB"), true, false));
        Http.Response replaced = ada.http().put(addresses(ada) + "/" + home,
                body(address(sentinel + " home, replaced", "GB"), null, true));
        assertThat(replaced.status()).isEqualTo(204);
        add(bob, address("Bob's " + UUID.randomUUID(), "GB"), false, false);

        assertThat(eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE convert_from(payload, 'UTF8') LIKE ? OR convert_from(meta_data, 'UTF8') LIKE ?
                """, Long.class, "%" + sentinel + "%", "%" + sentinel + "%")).as("readable in the event store").isZero();
        List<String> payloads = eventStore.queryForList("""
                SELECT convert_from(payload, 'UTF8') FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type LIKE '%CustomerAddress%Event' ORDER BY sequence_number
                """, String.class, ada.id());
        assertThat(payloads).hasSize(2).allSatisfy(payload -> assertThat(payload)
                .contains("\"address\":\"pd1:" + ada.id() + ":").contains("\"addressId\":{\"value\":\"" + home + "\"}"));

        Http.Response export = ada.http().get("/api/customers/" + ada.id() + "/export", "Orderly-Position",
                position(replaced));
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        JsonNode customerPart = customerPart(export.json());
        assertThat(customerPart.get("addresses")).hasSize(1);
        JsonNode exported = customerPart.get("addresses").get(0);
        assertThat(exported.get("addressId").asText()).isEqualTo(home);
        assertThat(exported.get("recipientName").asText()).isEqualTo(sentinel + " home, replaced");
        assertThat(exported.get("country").asText()).isEqualTo("GB");
        assertThat(customerPart.get("customer").get("defaultShippingAddressId").asText()).isEqualTo(home);
        assertThat(customerPart.get("customer").get("defaultBillingAddressId").asText()).isEqualTo(home);
        assertThat(export.body()).as("another customer's address").doesNotContain("Bob's");
    }

    @Test
    void erasingACustomerDeletesTheirAddressesFromTheReadModelAndLeavesNoneReadableAnywhere() {
        String sentinel = "erase" + UUID.randomUUID().toString().replace("-", "");
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Identities.Customer kept = identities.customer("Kept " + UUID.randomUUID());
        add(ada, address(sentinel, "GB"), true, true);
        add(ada, address(sentinel + " office", "IE"), false, false);
        Http.Response keptAdded = add(kept, address("Kept " + sentinel, "GB"), true, true);
        assertThat(book(kept, keptAdded).get("items")).hasSize(1);

        Http.Response asked = ada.http().request("POST", "/api/customers/" + ada.id() + "/erasure", null);

        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        await().atMost(WAIT).until(() -> staff.get(asked.header("Location")).json().path("status").asText()
                .equals("ERASED"));
        JsonNode book = staff.get(addresses(ada)).json();
        assertThat(book.get("items")).isEmpty();
        assertThat(book.get("defaultShippingAddressId").isNull()).isTrue();
        JdbcTemplate customer = stores.get("customer").jdbc();
        assertThat(customer.queryForObject("SELECT count(*) FROM customer.customer_addresses WHERE customer_id = ?", Long.class,
                UUID.fromString(ada.id()))).isZero();
        assertThat(customer.queryForObject("SELECT count(*) FROM customer.customer_addresses t WHERE t::text LIKE ?",
                Long.class, "%" + sentinel + "%")).as("only the kept customer's address holds the sentinel").isEqualTo(1);
        JsonNode exported = customerPart(staff.get("/api/customers/" + ada.id() + "/export").json());
        assertThat(exported.get("addresses")).isEmpty();
        assertThat(staff.get(addresses(kept)).json().get("items")).hasSize(1);
    }

    // --- helpers

    private static String addresses(Identities.Customer customer) {
        return "/api/customers/" + customer.id() + "/addresses";
    }

    /** The fields of a valid address, without braces, so that a test can add to them. */
    private static String address(String recipient, String country) {
        return "\"recipientName\": \"" + recipient + "\", \"line1\": \"1 Main Street\", \"postalCode\": \"10115\", "
                + "\"city\": \"Springfield\", \"country\": \"" + country + "\"";
    }

    private static String body(String address, Boolean defaultShipping, Boolean defaultBilling) {
        return "{" + address + (defaultShipping == null ? "" : ", \"defaultShipping\": " + defaultShipping)
                + (defaultBilling == null ? "" : ", \"defaultBilling\": " + defaultBilling) + "}";
    }

    private static Http.Response add(Identities.Customer customer, String address, boolean shipping, boolean billing) {
        Http.Response added = customer.http().post(addresses(customer), body(address, shipping, billing));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        return added;
    }

    private static String id(Http.Response added) {
        return added.json().get("addressId").asText();
    }

    private static String position(Http.Response response) {
        String position = response.header("Orderly-Position");
        assertThat(position).as("the command's position").isNotNull();
        return position;
    }

    /** The address book as of the command that answered {@code after}. */
    private static JsonNode book(Identities.Customer customer, Http.Response after) {
        Http.Response book = customer.http().get(addresses(customer), "Orderly-Position", position(after));
        assertThat(book.status()).as(book.toString()).isEqualTo(200);
        return book.json();
    }

    /** Address id -> which defaults it is ("shipping", "billing", "both" or "none"), from the items' flags. */
    private static Map<String, String> flags(JsonNode book) {
        Map<String, String> flags = new HashMap<>();
        book.get("items").forEach(item -> {
            boolean shipping = item.get("defaultShipping").asBoolean();
            boolean billing = item.get("defaultBilling").asBoolean();
            flags.put(item.get("addressId").asText(), shipping && billing ? "both" : shipping ? "shipping"
                    : billing ? "billing" : "none");
        });
        return flags;
    }

    private static List<String> fields(Http.Response response) {
        List<String> fields = new ArrayList<>();
        response.json().path("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }

    private static JsonNode customerPart(JsonNode document) {
        for (JsonNode part : document.get("parts")) {
            if (part.get("domain").asText().equals("customer")) {
                return part.get("data");
            }
        }
        throw new AssertionError("no customer part in " + document);
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }
}
