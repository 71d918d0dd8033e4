package org.orderly.app.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Money;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderLine;
import org.orderly.api.order.OrderPlacedEvent;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the notification tests share: customers over REST, notifications over REST and in their table. */
public final class NotificationTestSupport {

    private final Identities identities;
    /** Staff: they read every customer's notifications. */
    private final Http http;
    private final JdbcTemplate notificationSchema;

    public NotificationTestSupport(Identities identities, JdbcTemplate notificationSchema) {
        this.identities = identities;
        this.http = identities.staff();
        this.notificationSchema = notificationSchema;
    }

    /** Signs up a customer with this email. */
    public CustomerId register(String email) {
        Http.Response created = identities.anonymous().post("/api/customers", "{\"email\": \"" + email
                + "\", \"name\": \"Notified\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return CustomerId.of(created.json().get("customerId").asText());
    }

    /** Every notification of one customer, through every page of the REST list. */
    public List<JsonNode> notificationsOf(CustomerId customer) {
        return Http.items(http.pages("/api/notifications?limit=100&customerId=" + customer));
    }

    /** Waits until the customer has a notification of this type that satisfies the condition. */
    public JsonNode awaitNotification(CustomerId customer, String type, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            found[0] = notificationsOf(customer).stream()
                    .filter(n -> n.get("type").asText().equals(type) && condition.test(n))
                    .findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    public JsonNode awaitSent(CustomerId customer, String type) {
        return awaitNotification(customer, type, n -> n.get("status").asText().equals("SENT"));
    }

    /** The row behind a notification, with the delivery state the REST list does not show. */
    public Map<String, Object> row(String notificationId) {
        return notificationSchema.queryForMap("SELECT * FROM notifications WHERE notification_id = ?",
                UUID.fromString(notificationId));
    }

    public static OrderPlacedEvent orderPlaced(OrderId order, CustomerId customer) {
        Money price = Money.of("12.50", "EUR");
        return new OrderPlacedEvent(order, customer,
                List.of(new OrderLine(ProductId.newId(), "Notebook", 2, price)), price.times(2));
    }

    public static String uniqueEmail(String prefix) {
        return prefix + UUID.randomUUID() + "@example.com";
    }
}
