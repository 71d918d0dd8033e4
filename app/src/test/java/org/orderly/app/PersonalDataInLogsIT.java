package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Customers are named by id in the log, never by email or name: a scenario with sentinel emails and names (sign-up,
 * a wrong password, an order confirmed and shipped with its notifications sent, a cancellation, an email change, an
 * address added and a refused replacement of it)
 * leaves none of them in the captured log output.
 */
@OrderlyIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataInLogsIT {

    @LocalServerPort
    int port;

    @Test
    void aWholeScenarioLogsNoEmailAndNoNameOfTheCustomersInIt(CapturedOutput output) {
        Identities identities = new Identities(port);
        Shop shop = new Shop(identities);
        String sentinel = "sentinel" + UUID.randomUUID().toString().replace("-", "");
        String email = sentinel + "@example.com";
        String changedEmail = sentinel + "-new@example.com";
        String name = "Zed " + sentinel;
        Identities.Customer customer = identities.customer(email, name);
        assertThat(identities.requestToken(email, "not the password at all").status()).isEqualTo(400);
        assertThat(identities.staff().put("/api/customers/" + customer.id() + "/credit-limit",
                "{\"amount\": \"1000.00\", \"currency\": \"EUR\"}").status()).isEqualTo(204);

        String product = shop.product("Logged pen", "2.00");
        shop.receive(product, 10);
        String[] placed = new String[1];
        org.awaitility.Awaitility.await().atMost(Shop.PATIENCE).until(() -> {
            Http.Response response = customer.http().post("/api/orders", "{\"lines\": [" + Shop.line(product, 1) + "]}");
            placed[0] = response.status() == 202 ? response.json().get("orderId").asText() : null;
            return placed[0] != null;
        });
        shop.awaitOrderStatus(placed[0], "CONFIRMED");
        String shipment = shop.awaitShipment(placed[0], s -> true).get("shipmentId").asText();
        assertThat(shop.http().post("/api/shipments/" + shipment + "/dispatch", null).status()).isEqualTo(204);
        assertThat(customer.http().put("/api/customers/" + customer.id() + "/email",
                "{\"email\": \"" + changedEmail + "\"}").status()).isEqualTo(204);
        String addresses = "/api/customers/" + customer.id() + "/addresses";
        Http.Response address = customer.http().post(addresses, "{\"recipientName\": \"" + name + "\", \"line1\": \"1 "
                + sentinel + " Street\", \"postalCode\": \"10115\", \"city\": \"Berlin\", \"country\": \"DE\"}");
        assertThat(address.status()).as(address.toString()).isEqualTo(201);
        // a refusal, which quotes nothing of what was sent
        assertThat(customer.http().put(address.header("Location"), "{\"recipientName\": \"" + name
                + "\", \"line1\": \"2 " + sentinel + " Street\", \"postalCode\": \"10115\", \"city\": \"Berlin\", "
                + "\"country\": \"XX\"}").status()).isEqualTo(400);
        assertThat(identities.staff().get(addresses).status()).isEqualTo(200);
        // the notifications of this customer have been sent (and so logged by the logging sender)
        org.awaitility.Awaitility.await().atMost(Shop.PATIENCE).until(() -> identities.staff()
                .get("/api/notifications?customerId=" + customer.id() + "&limit=100").json().get("items")
                .findValues("status").stream().filter(s -> s.asText().equals("SENT")).count() >= 2);

        assertThat(output.getAll()).as("the log names the customer by id").contains(customer.id())
                .doesNotContain(sentinel);
    }
}
