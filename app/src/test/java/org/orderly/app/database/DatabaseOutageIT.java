package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.customer.CustomerId;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NotificationTestSupport;
import org.orderly.app.support.Shop;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The database goes away under a running node and comes back: health says so at once, readiness takes the node out
 * of rotation, commands and queries fail fast with a 503 to retry, and the node serves again without a restart: its
 * pools reconnect, and its processors and sagas (with their deadlines) carry on, so that an order placed afterwards is
 * confirmed. A server of the test's own stands in for an external database, so that it can be stopped and started
 * again on the same data and port.
 */
class DatabaseOutageIT {

    private Path dataDirectory;
    private Path unusedEmbeddedDirectory;
    private int port;
    private EmbeddedPostgres database;

    @BeforeEach
    void startDatabase() throws IOException {
        dataDirectory = Files.createTempDirectory("orderly-outage-").resolve("pgdata");
        unusedEmbeddedDirectory = Files.createTempDirectory("orderly-unused-").resolve("pgdata");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        database = startDatabaseOnTheSameData();
    }

    @AfterEach
    void stopDatabase() throws IOException {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void withTheDatabaseGoneHealthAndReadinessAreDownAtOnceRequestsAre503AndTheNodeServesAgainWhenItIsBack()
            throws IOException {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrderlyApplication.class)
                .properties("orderly.database.url=jdbc:postgresql://localhost:" + port + "/postgres",
                        "orderly.database.username=postgres", "orderly.database.manage-roles=true",
                        "orderly.database.embedded.data-directory=" + unusedEmbeddedDirectory)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0")) {
            Identities identities = new Identities(((WebServerApplicationContext) app).getWebServer().getPort());
            Http anyone = identities.anonymous();
            Http staff = identities.staff();
            Shop shop = new Shop(identities);
            String customer = shop.customer("1000.00");
            String product = shop.product("Outage Kettle", "20.00");
            shop.receive(product, 20);
            String before = shop.place(customer, Shop.line(product, 1));
            shop.awaitOrderStatus(before, "CONFIRMED");
            Http.Response registered = register(anyone);
            assertThat(registered.status()).isEqualTo(201);
            String registeredBefore = registered.json().get("customerId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> staff.get("/api/customers/" + registeredBefore).status() == 200);

            database.close();
            database = null;

            Timed<Http.Response> readiness = Timed.of(() -> anyone.get("/actuator/health/readiness"));
            Timed<Http.Response> health = Timed.of(() -> anyone.get("/actuator/health"));
            Timed<Http.Response> command = Timed.of(() -> register(anyone));
            Timed<Http.Response> query = Timed.of(() -> staff.get("/api/orders/" + before));
            System.out.printf("Database down: readiness answered in %d ms, health in %d ms, a command in %d ms, "
                    + "a query in %d ms%n", readiness.millis(), health.millis(), command.millis(), query.millis());

            assertThat(readiness.value().status()).as(readiness.value().toString()).isEqualTo(503);
            assertThat(readiness.value().json().get("status").asText()).isEqualTo("DOWN");
            assertThat(readiness.value().json().at("/components/db/status").asText()).isEqualTo("DOWN");
            assertThat(readiness.millis()).isLessThan(1000);
            assertThat(health.value().status()).as(health.value().toString()).isEqualTo(503);
            assertThat(health.value().json().at("/components/db/status").asText()).isEqualTo("DOWN");
            assertThat(health.millis()).isLessThan(1000);
            assertThat(anyone.get("/actuator/health/liveness").status()).as("the process itself is fine").isEqualTo(200);
            for (Timed<Http.Response> request : List.of(command, query)) {
                assertThat(request.value().status()).as(request.value().toString()).isEqualTo(503);
                assertThat(request.value().header("Content-Type")).startsWith("application/problem+json");
                assertThat(request.value().header("Retry-After")).isNotBlank();
                assertThat(request.millis()).as("the pool's connection timeout (4 s) and the request's own work")
                        .isLessThan(5000);
            }
            Http.Response retryable = register(anyone, "Idempotency-Key", UUID.randomUUID().toString());
            assertThat(retryable.status()).as("a filter that needs the database: " + retryable).isEqualTo(503);
            assertThat(retryable.header("Retry-After")).isNotBlank();

            database = startDatabaseOnTheSameData();
            long backAt = System.nanoTime();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> anyone.get("/actuator/health/readiness").status() == 200);
            long readyAfter = (System.nanoTime() - backAt) / 1_000_000;
            Http.Response again = register(anyone);
            assertThat(again.status()).as(again.toString()).isEqualTo(201);
            String id = again.json().get("customerId").asText();
            await().atMost(Duration.ofSeconds(90)).until(() -> staff.get("/api/customers/" + id).status() == 200);
            long readableAfter = (System.nanoTime() - backAt) / 1_000_000;
            new NotificationTestSupport(identities, null).awaitSent(CustomerId.of(id), "CUSTOMER_WELCOME");
            // The saga, its deadlines and every domain's processors carry on without a restart of the node.
            String after = shop.place(customer, Shop.line(product, 2));
            shop.awaitOrderStatus(after, "CONFIRMED");
            long confirmedAfter = (System.nanoTime() - backAt) / 1_000_000;
            shop.awaitStock(product, stock -> stock.get("reserved").asInt() == 3);
            assertThat(staff.get("/api/orders/" + before).json().get("status").asText()).isEqualTo("CONFIRMED");
            assertThat(staff.get("/api/customers/" + registeredBefore).status()).isEqualTo(200);
            assertThat(anyone.get("/actuator/health").status()).isEqualTo(200);
            System.out.printf("Database back: ready again %d ms after it answered, a registration readable after %d ms, "
                    + "an order confirmed after %d ms%n", readyAfter, readableAfter, confirmedAfter);
        }
    }

    private EmbeddedPostgres startDatabaseOnTheSameData() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false).setPort(port)
                .setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    private static Http.Response register(Http http, String... headers) {
        return http.post("/api/customers", "{\"email\": \"outage-" + UUID.randomUUID() + "@example.com\", "
                + "\"name\": \"Outage\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}", headers);
    }
}
