package org.orderly.config.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** The embedded PostgreSQL starts while the context is still being built, and is never left running untaken. */
class EmbeddedDatabaseEarlyStartTest {

    private final EmbeddedDatabaseEarlyStart listener = new EmbeddedDatabaseEarlyStart();

    @Test
    void theDatabaseStartedEarlyIsTheOneTheApplicationTakes() throws Exception {
        Path data = Files.createTempDirectory("early-start").resolve("pgdata");
        SpringApplication application = new SpringApplication();
        GenericApplicationContext context = contextWith(data);
        listener.onApplicationEvent(new ApplicationContextInitializedEvent(application, new String[0], context));

        DatabaseProperties.Embedded settings = DatabaseProperties.Embedded.in(data);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings)) {
            assertThat(EmbeddedDatabaseEarlyStart.take(settings)).as("taken once, no longer held").isNull();
            try (Connection connection = server.superuser().getConnection()) {
                assertThat(connection.isValid(5)).isTrue();
            }
            // Ready after taking it: the listener leaves the application's server alone.
            listener.onApplicationEvent(new ApplicationReadyEvent(application, new String[0], context, null));
            try (Connection connection = server.superuser().getConnection()) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void aDatabaseTheApplicationNeverTookIsStoppedOnceItIsReady() throws Exception {
        Path data = Files.createTempDirectory("early-start").resolve("pgdata");
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        SpringApplication application = new SpringApplication();
        GenericApplicationContext context = contextWith(data, port);
        listener.onApplicationEvent(new ApplicationContextInitializedEvent(application, new String[0], context));
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        assertThat(awaitConnection(url, data, true)).as("started early").isTrue();

        listener.onApplicationEvent(new ApplicationReadyEvent(application, new String[0], context, null));

        assertThat(awaitConnection(url, data, false)).as("stopped once the application is ready without it").isTrue();
        DatabaseProperties.Embedded settings = DatabaseProperties.Embedded.in(data);
        assertThat(EmbeddedDatabaseEarlyStart.take(settings)).isNull();
    }

    @Test
    void anExternalDatabaseStartsNothing() {
        SpringApplication application = new SpringApplication();
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("orderly.database.url", "jdbc:postgresql://localhost:1/none")));
        listener.onApplicationEvent(new ApplicationContextInitializedEvent(application, new String[0], context));

        assertThat(EmbeddedDatabaseEarlyStart.take(DatabaseProperties.Embedded.in(java.nio.file.Path.of(".orderly", "pgdata")))).isNull();
    }

    private static GenericApplicationContext contextWith(Path data) {
        return contextWith(data, 0);
    }

    private static GenericApplicationContext contextWith(Path data, int port) {
        GenericApplicationContext context = new GenericApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "orderly.database.embedded.data-directory", data.toString(),
                "orderly.database.embedded.port", Integer.toString(port))));
        return context;
    }

    /**
     * Whether connecting to {@code url} as the superuser, with the password kept beside {@code data}, came to
     * succeed ({@code up}) or to fail within a minute.
     */
    private static boolean awaitConnection(String url, Path data, boolean up) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean connected;
            String password = EmbeddedCredentials.open(data).kept(EmbeddedCredentials.SUPERUSER);
            try (Connection connection = DriverManager.getConnection(url, "postgres", password)) {
                connected = connection.isValid(5);
            } catch (SQLException e) {
                connected = false;
            }
            if (connected == up) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
