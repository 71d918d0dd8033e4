package org.orderly.app.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.NotificationTestSupport.orderPlaced;
import static org.orderly.app.support.NotificationTestSupport.uniqueEmail;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.OrderConfirmedEvent;
import org.orderly.api.order.OrderId;
import org.orderly.api.order.OrderRejectedEvent;
import org.orderly.api.shipping.ShipmentDispatchedEvent;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NotificationTestSupport;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.query.notification.LoggingNotificationSender;
import org.orderly.query.notification.NotificationSender;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Notifications end to end with the default sender: customers registered over REST, the events of
 * orders and shipments (whose aggregates live elsewhere) published as another domain would.
 */
@OrderlyIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class NotificationsIT {

    @LocalServerPort
    int port;
    @Autowired
    EventGateway events;
    @Autowired
    DomainStores stores;
    @Autowired
    NotificationSender sender;
    @Autowired
    HealthContributorRegistry health;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JdbcTemplate eventStore;
    Identities identities;
    /** Staff: they read every customer's notifications. */
    Http http;
    NotificationTestSupport notifications;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        http = identities.staff();
        notifications = new NotificationTestSupport(identities, stores.get("notification").jdbc());
    }

    @Test
    void registeringACustomerRecordsAWelcomeToTheirEmailThatTheLoggingSenderSends(CapturedOutput output) {
        assertThat(sender).isInstanceOf(LoggingNotificationSender.class);
        String email = uniqueEmail("welcome-");
        Instant before = Instant.now();

        CustomerId customer = notifications.register(email);

        JsonNode welcome = notifications.awaitSent(customer, "CUSTOMER_WELCOME");
        assertThat(welcome.get("customerId").asText()).isEqualTo(customer.toString());
        assertThat(welcome.get("recipient").asText()).isEqualTo(email);
        assertThat(Instant.parse(welcome.get("createdAt").asText())).isBetween(before.minusSeconds(5), Instant.now());
        Map<String, Object> row = notifications.row(welcome.get("notificationId").asText());
        assertThat(row.get("attempts")).isEqualTo(1);
        assertThat(row.get("sent_at")).isNotNull();
        // the logging sender names the customer by id: the address is personal data and stays out of the log
        assertThat(output.getOut()).contains("Notification CUSTOMER_WELCOME " + welcome.get("notificationId").asText()
                + " to customer " + customer).doesNotContain(email);
    }

    @Test
    void orderAndShipmentEventsNotifyTheOrdersCustomerAtTheirEmail() {
        String email = uniqueEmail("orders-");
        CustomerId customer = notifications.register(email);
        OrderId confirmed = OrderId.newId();
        OrderId rejected = OrderId.newId();

        events.publish(orderPlaced(confirmed, customer));
        events.publish(new OrderConfirmedEvent(confirmed, customer));
        events.publish(new ShipmentDispatchedEvent(ShipmentId.newId(), confirmed));
        events.publish(orderPlaced(rejected, customer));
        events.publish(new OrderRejectedEvent(rejected, customer, "Out of stock"));

        for (String type : List.of("ORDER_CONFIRMED", "SHIPMENT_DISPATCHED", "ORDER_REJECTED")) {
            JsonNode sent = notifications.awaitSent(customer, type);
            assertThat(sent.get("recipient").asText()).as(type).isEqualTo(email);
            assertThat(sent.get("customerId").asText()).as(type).isEqualTo(customer.toString());
        }
        assertThat(notifications.notificationsOf(customer)).extracting(n -> n.get("type").asText())
                .containsExactlyInAnyOrder("CUSTOMER_WELCOME", "ORDER_CONFIRMED", "SHIPMENT_DISPATCHED",
                        "ORDER_REJECTED");
    }

    @Test
    void afterAnEmailChangeLaterNotificationsGoToTheNewAddress() {
        String oldEmail = uniqueEmail("old-");
        String newEmail = uniqueEmail("new-");
        CustomerId customer = notifications.register(oldEmail);
        notifications.awaitSent(customer, "CUSTOMER_WELCOME");

        // Registration also sets the default credit limit, so the version to match is read, not assumed.
        String version = await().atMost(Duration.ofSeconds(20)).until(
                () -> http.get("/api/customers/" + customer).header("ETag"), java.util.Objects::nonNull);
        Http.Response changed = identities.anonymous().as(identities.token(oldEmail, Identities.CUSTOMER_PASSWORD))
                .put("/api/customers/" + customer + "/email",
                "{\"email\": \"" + newEmail + "\"}", "If-Match", version);
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        JdbcTemplate notificationSchema = stores.get("notification").jdbc();
        await().atMost(Duration.ofSeconds(30)).until(() -> newEmail.equals(notificationSchema.queryForObject(
                "SELECT email FROM customer_contacts WHERE customer_id = ?", String.class, customer.value())));
        events.publish(new OrderConfirmedEvent(OrderId.newId(), customer));

        assertThat(notifications.awaitSent(customer, "ORDER_CONFIRMED").get("recipient").asText()).isEqualTo(newEmail);
        assertThat(notifications.awaitSent(customer, "CUSTOMER_WELCOME").get("recipient").asText())
                .as("a notification keeps the address it was recorded with").isEqualTo(oldEmail);
    }

    @Test
    void theListFiltersByCustomerAndPagesThroughEveryNotificationOnceInCreationOrder() {
        CustomerId first = notifications.register(uniqueEmail("page-a-"));
        CustomerId second = notifications.register(uniqueEmail("page-b-"));
        for (int i = 0; i < 4; i++) {
            events.publish(new OrderConfirmedEvent(OrderId.newId(), first));
        }
        events.publish(new OrderConfirmedEvent(OrderId.newId(), second));
        await().atMost(Duration.ofSeconds(30)).until(() -> notifications.notificationsOf(first).size() == 5
                && notifications.notificationsOf(second).size() == 2);

        List<JsonNode> pages = http.pages("/api/notifications?limit=2&customerId=" + first);
        pages.forEach(page -> assertThat(page.get("items").size()).isLessThanOrEqualTo(2));
        List<JsonNode> seen = Http.items(pages);

        assertThat(pages).hasSize(3);
        assertThat(seen).extracting(n -> n.get("customerId").asText()).containsOnly(first.toString());
        assertThat(seen).extracting(n -> n.get("notificationId").asText()).doesNotHaveDuplicates().hasSize(5);
        assertThat(seen).extracting(n -> Instant.parse(n.get("createdAt").asText())).isSorted();
        assertThat(seen.get(0).get("type").asText()).isEqualTo("CUSTOMER_WELCOME");

        Set<String> everyone = new HashSet<>();
        Http.items(http.pages("/api/notifications?limit=3"))
                .forEach(n -> assertThat(everyone.add(n.get("notificationId").asText())).isTrue());
        assertThat(everyone).containsAll(ids(seen)).containsAll(ids(notifications.notificationsOf(second)));
    }

    @Test
    void anUnknownCustomerHasAnEmptyList() {
        Http.Response response = http.get("/api/notifications?customerId=" + UUID.randomUUID());

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("items").size()).isZero();
        assertThat(response.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aMalformedCustomerIdLimitOrCursorIsA400NamingItAndWritesNothing() {
        long before = eventCount();

        assertProblem(http.get("/api/notifications?customerId=not-a-uuid"), 400, "customerId");
        assertProblem(http.get("/api/notifications?limit=0"), 400, "limit");
        assertProblem(http.get("/api/notifications?limit=many"), 400, "limit");
        assertProblem(http.get("/api/notifications?cursor=bm90LWEtY3Vyc29y"), 400, "cursor");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void theDispatcherIsHealthyAndCountsWhatItSends() {
        double sentBefore = meters.get("orderly.notifications.sent").counter().count();
        CustomerId customer = notifications.register(uniqueEmail("metrics-"));
        notifications.awaitSent(customer, "CUSTOMER_WELCOME");

        assertThat(meters.get("orderly.notifications.sent").counter().count()).isGreaterThan(sentBefore);
        assertThat(meters.get("orderly.notifications.failed").gauge().value()).isZero();
        HealthIndicator indicator = (HealthIndicator) health.getContributor("notifications");
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        assertThat(indicator.health().getDetails()).containsEntry("failed", 0L).containsKey("pending");
        assertThat(identities.anonymous().get("/actuator/health").status()).isEqualTo(200);
    }

    private static List<String> ids(List<JsonNode> notifications) {
        return notifications.stream().map(n -> n.get("notificationId").asText()).toList();
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

    private static void assertProblem(Http.Response response, int status, String field) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
