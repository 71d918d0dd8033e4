package org.orderly.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** What the cart tests do over the API: open a customer's cart, add to it as the catalog copy allows, read it. */
public final class CartTestSupport {

    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private CartTestSupport() {
    }

    /** The customer's active cart, opened if they have none. */
    public static String open(Http customer) {
        Http.Response opened = customer.post("/api/carts", null);
        assertThat(opened.status()).as(opened.toString()).isIn(200, 201);
        assertThat(opened.header("Location")).isEqualTo("/api/carts/" + opened.json().get("cartId").asText());
        return opened.json().get("cartId").asText();
    }

    /** Adds a product, retrying while the cart domain's copy of the catalog has not caught up (503). */
    public static Http.Response add(Http customer, String cartId, String productId, int quantity) {
        Http.Response[] added = new Http.Response[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            added[0] = customer.post("/api/carts/" + cartId + "/lines", Shop.line(productId, quantity));
            return added[0].status() != 503;
        });
        return added[0];
    }

    public static void added(Http customer, String cartId, String productId, int quantity) {
        Http.Response added = add(customer, cartId, productId, quantity);
        assertThat(added.status()).as(added.toString()).isEqualTo(204);
    }

    /** The cart as it stands once it reflects the caller's last change (read your writes). */
    public static JsonNode read(Http caller, String cartId, Http.Response lastChange) {
        Http.Response read = lastChange == null || lastChange.header("Orderly-Position") == null
                ? caller.get("/api/carts/" + cartId)
                : caller.get("/api/carts/" + cartId, "Orderly-Position", lastChange.header("Orderly-Position"));
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        return read.json();
    }

    public static JsonNode awaitCart(Http caller, String cartId, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response read = caller.get("/api/carts/" + cartId);
            found[0] = read.status() == 200 ? read.json() : null;
            return found[0] != null && condition.test(found[0]);
        });
        return found[0];
    }

    public static JsonNode line(JsonNode cart, String productId) {
        for (JsonNode line : cart.get("lines")) {
            if (line.get("productId").asText().equals(productId)) {
                return line;
            }
        }
        throw new AssertionError("no line for " + productId + " in " + cart);
    }
}
