package org.orderly.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.web.ReadYourWrites;
import org.orderly.config.web.ReadsFrom;
import org.orderly.config.web.WebProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Read your own writes: a command's answer carries {@code Orderly-Position}, and a GET that sends it back shows
 * the change, every time.
 */
@OrderlyIntegrationTest
public class ReadYourWritesIT {

    public static final String POSITION = "Orderly-Position";
    public static final String REACHED = "Orderly-Position-Reached";

    @LocalServerPort
    int port;
    @Autowired
    WebProperties web;
    @Autowired
    DomainStores stores;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    Identities identities;
    Shop shop;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        shop = new Shop(identities);
    }

    @Test
    void everyQueryGetDeclaresTheProcessorsOfADomainStoreItReadsFrom() {
        List<String> queryGets = new ArrayList<>();
        mappings.getHandlerMethods().forEach((mapping, method) -> {
            if (!method.getBeanType().getPackageName().startsWith("org.orderly.query")
                    || !mapping.getMethodsCondition().getMethods().contains(RequestMethod.GET)) {
                return;
            }
            queryGets.add(mapping.toString());
            ReadsFrom reads = ReadYourWrites.readsFrom(method);
            assertThat(reads).as("@ReadsFrom of " + mapping).isNotNull();
            assertThat(reads.value()).as("@ReadsFrom of " + mapping).isNotEmpty();
            for (String group : reads.value()) {
                assertThat(stores.forProcessingGroup(group)).as(group + ", read by " + mapping).isPresent();
            }
        });
        assertThat(queryGets).as("the query side's GET endpoints").hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void aReadSendingBackTheEmailChangesPositionShowsTheNewEmailEveryTime() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        long previous = Long.parseLong(ada.position());
        for (int i = 0; i < 40; i++) {
            String email = "ada-" + i + "-" + UUID.randomUUID() + "@example.com";
            Http.Response changed = ada.http().put("/api/customers/" + ada.id() + "/email",
                    "{\"email\": \"" + email + "\"}");
            assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
            long position = Long.parseLong(changed.header(POSITION));
            assertThat(position).as("each change is stored after the one before").isGreaterThan(previous);
            previous = position;

            Http.Response read = ada.http().get("/api/customers/" + ada.id(), POSITION, changed.header(POSITION));

            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().get("email").asText()).as("read %d right after its change", i).isEqualTo(email);
            assertThat(read.header(REACHED)).isEqualTo("true");
        }
    }

    @Test
    void aReadSendingBackARegistrationsPositionFindsEachNewCustomer() {
        Http staff = identities.staff();
        for (int i = 0; i < 30; i++) {
            Http.Response registered = staff.post("/api/customers", "{\"email\": \"eager-" + UUID.randomUUID()
                    + "@example.com\", \"name\": \"Eager " + i + "\"}");
            assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
            String id = registered.json().get("customerId").asText();

            Http.Response read = staff.get("/api/customers/" + id, POSITION, registered.header(POSITION));

            assertThat(read.status()).as("read %d right after its registration", i).isEqualTo(200);
            assertThat(read.json().get("customerId").asText()).isEqualTo(id);
        }
    }

    @Test
    void aReadSendingBackAPlacementsPositionFindsTheOrderEveryTime() {
        String customerId = shop.customer("10000.00");
        String productId = shop.product("Ink", "2.50");
        shop.place(customerId, Shop.line(productId, 1)); // the order domain's copies know both from here on
        for (int i = 0; i < 15; i++) {
            Http.Response placed = shop.as(customerId).post("/api/orders", "{\"customerId\": \"" + customerId
                    + "\", \"lines\": [" + Shop.line(productId, 1 + i) + "]}");
            assertThat(placed.status()).as(placed.toString()).isEqualTo(202);
            String orderId = placed.json().get("orderId").asText();

            Http.Response read = shop.as(customerId).get("/api/orders/" + orderId, POSITION, placed.header(POSITION));

            assertThat(read.status()).as("order %d read right after its placement: %s", i, read).isEqualTo(200);
            assertThat(read.json().get("lines").get(0).get("quantity").asInt()).isEqualTo(1 + i);
            assertThat(read.header(REACHED)).isEqualTo("true");
        }
    }

    @Test
    void aReadSendingBackAPriceChangesPositionShowsTheNewPriceEveryTime() {
        String productId = shop.product("Paper", "1.00");
        for (int i = 1; i <= 30; i++) {
            String price = i + ".25";
            Http.Response changed = shop.http().put("/api/products/" + productId + "/price",
                    "{\"amount\": \"" + price + "\", \"currency\": \"EUR\"}");
            assertThat(changed.status()).as(changed.toString()).isEqualTo(204);

            Http.Response read = shop.http().get("/api/products/" + productId, POSITION, changed.header(POSITION));

            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.json().get("price").get("amount").asText()).as("read %d", i).isEqualTo(price);
        }
    }

    @Test
    void anAnswerThatStoredNothingCarriesNoPosition() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http.Response password = ada.http().put("/api/customers/" + ada.id() + "/password",
                "{\"currentPassword\": \"" + Identities.CUSTOMER_PASSWORD + "\", \"newPassword\": \"a new password 2026\"}");
        Http.Response refused = identities.anonymous().post("/api/customers", "{\"email\": \"" + ada.email()
                + "\", \"name\": \"Ada again\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");

        assertThat(password.status()).as(password.toString()).isEqualTo(204);
        assertThat(password.header(POSITION)).as("a password lives in the identity store only").isNull();
        assertProblem(refused, 409);
        assertThat(refused.header(POSITION)).isNull();
    }

    @Test
    void aPositionTheReadModelsDoNotReachInTimeIsAnsweredAsTheyStandAndSaysSo() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        String beyond = Long.toString(Long.parseLong(ada.position()) + 1_000_000_000L);
        long started = System.nanoTime();

        Http.Response read = ada.http().get("/api/customers/" + ada.id(), POSITION, beyond);

        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(read.json().get("customerId").asText()).isEqualTo(ada.id());
        assertThat(read.header(REACHED)).isEqualTo("false");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isGreaterThanOrEqualTo(web.consistency().maxWait());
    }

    @Test
    void aMalformedPositionIsA400NamingTheHeader() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        for (String malformed : new String[] {"abc", "-1", "1.5", "12345678901234567890"}) {
            Http.Response read = ada.http().get("/api/customers/" + ada.id(), POSITION, malformed);

            assertProblem(read, 400);
            assertThat(read.json().get("errors").get(0).get("field").asText()).as(malformed).isEqualTo(POSITION);
        }
    }
}
