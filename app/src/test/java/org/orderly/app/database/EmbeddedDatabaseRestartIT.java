package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.orderly.api.customer.CustomerId;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NotificationTestSupport;
import org.orderly.app.support.Shop;
import org.orderly.config.database.EmbeddedDatabaseWatchdog;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded PostgreSQL is Orderly's own: when its server process is killed under a running node, Orderly starts
 * it again on the same data and port and carries on; and when the JVM is killed while its PostgreSQL keeps running,
 * the next Orderly on that data directory stops the orphaned server and starts. Real processes throughout: the
 * postmaster is killed with SIGKILL, and the first Orderly of the second test runs in a JVM of its own, killed the
 * same way.
 */
class EmbeddedDatabaseRestartIT {

    @Test
    void aKilledEmbeddedPostgresIsStartedAgainAndOrdersAreConfirmedWithNothingAcknowledgedLost() throws IOException {
        Path dataDirectory = OrderlyTestDatabase.freshDirectory();
        Map<String, Object> properties = new HashMap<>(Map.of(
                "orderly.database.embedded.data-directory", dataDirectory.toString(),
                "orderly.database.embedded.port", "0",
                "orderly.database.embedded.temporary", "true",
                // Long enough for the outage to be seen from outside before the watchdog ends it.
                "orderly.database.embedded.restart-delay", "PT2S"));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(properties)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0")) {
            Identities identities = new Identities(((WebServerApplicationContext) app).getWebServer().getPort());
            Http anyone = identities.anonymous();
            Shop shop = new Shop(identities);
            String customer = shop.customer("1000.00");
            String product = shop.product("Restart Lamp", "10.00");
            shop.receive(product, 50);
            String before = shop.place(customer, Shop.line(product, 2));
            shop.awaitOrderStatus(before, "CONFIRMED");
            String registeredBefore = register(anyone);
            await().atMost(Shop.PATIENCE).until(() -> shop.http().get("/api/customers/" + registeredBefore).status() == 200);

            long pid = postmasterPid(dataDirectory);
            long killedAt = System.nanoTime();
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            postmaster.destroyForcibly();
            postmaster.onExit().join();

            Timed<Http.Response> health = Timed.of(() -> anyone.get("/actuator/health"));
            Timed<Http.Response> readiness = Timed.of(() -> anyone.get("/actuator/health/readiness"));
            assertThat(health.value().status()).as(health.value().toString()).isEqualTo(503);
            assertThat(health.value().json().at("/components/db/status").asText()).isEqualTo("DOWN");
            assertThat(health.millis()).as("health answers within the health timeout").isLessThan(1000);
            assertThat(readiness.value().status()).as(readiness.value().toString()).isEqualTo(503);
            assertThat(readiness.millis()).isLessThan(1000);
            assertThat(anyone.get("/actuator/health/liveness").status()).as("the process itself is fine").isEqualTo(200);

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> anyone.get("/actuator/health/readiness").status() == 200);
            long readyAfter = (System.nanoTime() - killedAt) / 1_000_000;
            assertThat(postmasterPid(dataDirectory)).as("a new server process").isNotEqualTo(pid);

            String registeredAfter = register(anyone);
            long registeredAfterMillis = (System.nanoTime() - killedAt) / 1_000_000;
            String after = shop.place(customer, Shop.line(product, 3));
            shop.awaitOrderStatus(after, "CONFIRMED");
            long confirmedAfter = (System.nanoTime() - killedAt) / 1_000_000;
            await().atMost(Shop.PATIENCE).until(() -> shop.http().get("/api/customers/" + registeredAfter).status() == 200);
            // The notification outbox delivers again: the welcome of the customer who registered after the restart.
            new NotificationTestSupport(identities, null).awaitSent(CustomerId.of(registeredAfter), "CUSTOMER_WELCOME");

            assertThat(shop.http().get("/api/customers/" + registeredBefore).status()).isEqualTo(200);
            assertThat(shop.http().get("/api/orders/" + before).json().get("status").asText()).isEqualTo("CONFIRMED");
            shop.awaitStock(product, stock -> stock.get("reserved").asInt() == 5); // both orders hold their stock
            assertThat(app.getBean(EmbeddedDatabaseWatchdog.class).restarts()).isEqualTo(1);
            assertThat(app.getBean(MeterRegistry.class).get("orderly.database.embedded.restarts").functionCounter()
                    .count()).isEqualTo(1.0);
            assertThat(identities.operator().get("/actuator/health").json()
                    .at("/components/db/details/embedded/restarts").asLong()).isEqualTo(1);
            System.out.printf("Embedded PostgreSQL killed: health answered in %d ms (readiness %d ms), ready again "
                            + "after %d ms, a registration accepted after %d ms, an order confirmed after %d ms%n",
                    health.millis(), readiness.millis(), readyAfter, registeredAfterMillis, confirmedAfter);
        }
    }

    @Test
    void orderlyStartsOnTheDataOfAKilledJvmWhosePostgresKeptRunningAndKeepsWhatItAcknowledged() throws Exception {
        Path dataDirectory = OrderlyTestDatabase.freshDirectory();
        int databasePort = freePort();
        int httpPort = freePort();
        Path log = Files.createTempFile("orderly-killed-jvm-", ".log");
        Process firstJvm = startOrderlyInItsOwnJvm(dataDirectory, databasePort, httpPort, log);
        String registered;
        long orphan;
        try {
            Http first = new Http(httpPort);
            await("the first Orderly's readiness (log: " + log + ")").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> first.get("/actuator/health/readiness").status() == 200);
            Identities identities = new Identities(httpPort);
            registered = register(identities.anonymous());
            await().atMost(Shop.PATIENCE).until(() -> identities.staff().get("/api/customers/" + registered).status() == 200);
            orphan = postmasterPid(dataDirectory);
        } finally {
            firstJvm.destroyForcibly();
            firstJvm.waitFor();
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("PostgreSQL outlived its JVM")
                .contains(true);

        Map<String, Object> properties = Map.of(
                "orderly.database.embedded.data-directory", dataDirectory.toString(),
                "orderly.database.embedded.port", Integer.toString(databasePort),
                "orderly.database.embedded.temporary", "true");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(properties)
                .properties(Identities.PROPERTIES)
                .run("--server.port=0")) {
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false))
                    .as("the orphaned server was stopped").isFalse();
            assertThat(postmasterPid(dataDirectory)).isNotEqualTo(orphan);
            Identities identities = new Identities(((WebServerApplicationContext) app).getWebServer().getPort());
            Http staff = identities.staff();
            assertThat(staff.get("/api/customers/" + registered).status()).as("acknowledged before the kill")
                    .isEqualTo(200);
            String again = register(identities.anonymous());
            await().atMost(Shop.PATIENCE).until(() -> staff.get("/api/customers/" + again).status() == 200);
        }
    }

    /** The whole application in a JVM of its own, on the test's class path, with its output in {@code log}. */
    private static Process startOrderlyInItsOwnJvm(Path dataDirectory, int databasePort, int httpPort, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), OrderlyApplication.class.getName(),
                "--server.port=" + httpPort,
                "--orderly.database.embedded.data-directory=" + dataDirectory,
                "--orderly.database.embedded.port=" + databasePort));
        Identities.PROPERTIES.forEach((name, value) -> command.add("--" + name + "=" + value));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long postmasterPid(Path dataDirectory) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).strip());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String register(Http http) {
        return Identities.signUp(http, "Restart").id();
    }
}
