package org.orderly.config.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded server's logins (passwords for everyone, kept across restarts, also on data from before them), and
 * its starting again after its process was killed.
 */
class EmbeddedPostgresServerTest {

    @Test
    void aDataDirectoryThatTrustedEveryoneIsBroughtOverToPasswordsAndKeepsItsData() throws Exception {
        Path data = Files.createTempDirectory("trusting").resolve("pgdata");
        // What an earlier version left behind: the library's own initdb, which trusts every local connection.
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60)).start()) {
            new JdbcTemplate(earlier.getPostgresDatabase()).execute("CREATE TABLE kept (id int)");
        }
        assertThat(EmbeddedPostgresServer.allowsTrust(Files.readString(data.resolve("pg_hba.conf")))).isTrue();
        DatabaseProperties.Embedded settings = settings(data);

        String password;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(settings)) {
            password = server.credentials().kept(EmbeddedCredentials.SUPERUSER);
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).isEqualTo(EmbeddedPostgresServer.PASSWORD_ONLY_HBA);
            assertRefused(server.jdbcUrl(), "wrong-password");
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), "postgres", password)) {
                assertThat(new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(
                        connection, true)).queryForObject("SELECT count(*) FROM kept", Long.class)).isZero();
            }
        }
        // The next start reuses the kept password: no second bringing over, the same login works.
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.launch(settings)) {
            assertThat(again.credentials().kept(EmbeddedCredentials.SUPERUSER)).isEqualTo(password);
            assertRefused(again.jdbcUrl(), "wrong-password");
            try (Connection connection = DriverManager.getConnection(again.jdbcUrl(), "postgres", password)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void aFreshDataDirectoryAsksForPasswordsFromItsFirstStart() throws Exception {
        Path data = Files.createTempDirectory("fresh").resolve("pgdata");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(settings(data))) {
            assertThat(EmbeddedPostgresServer.passwordOnly(Files.readString(data.resolve("pg_hba.conf")))).isTrue();
            assertRefused(server.jdbcUrl(), "wrong-password");
            assertThat(new JdbcTemplate(server.superuser()).queryForObject("SHOW listen_addresses", String.class))
                    .isEqualTo("localhost");
        }
    }

    @Test
    void aServerKilledUnderItIsStartedAgainOnTheSamePortWithItsCommittedDataAndDurability() throws Exception {
        Path data = Files.createTempDirectory("killed").resolve("pgdata");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(settings(data))) {
            JdbcTemplate jdbc = new JdbcTemplate(server.superuser());
            jdbc.execute("CREATE TABLE acknowledged (id int)");
            jdbc.update("INSERT INTO acknowledged VALUES (1), (2), (3)");
            long killed = server.pid();
            int port = server.port();
            ProcessHandle postmaster = ProcessHandle.of(killed).orElseThrow();
            postmaster.destroyForcibly();
            postmaster.onExit().join();
            assertThat(server.running()).isFalse();

            // Its backends may still be exiting: the watchdog, too, tries again until they are gone.
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                server.restart();
                return server.running();
            });

            assertThat(server.pid()).isNotEqualTo(killed);
            assertThat(server.port()).isEqualTo(port);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM acknowledged", Long.class)).isEqualTo(3);
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
            assertRefused(server.jdbcUrl(), "wrong-password");
        }
    }

    @Test
    void aPidFileNamingALiveProcessThatIsNoServerIsStaleAndDoesNotStopAStart() throws Exception {
        Path data = Files.createTempDirectory("stale").resolve("pgdata");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(settings(data))) {
            new JdbcTemplate(server.superuser()).execute("CREATE TABLE kept (id int)");
        }
        // A live process that is no PostgreSQL: what a crash leaves once the process id has been given to another.
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(data.resolve("postmaster.pid"), unrelated.pid() + "\n" + data + "\n");
            assertThat(Postmaster.running(data)).isEmpty();

            try (EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(settings(data))) {
                assertThat(new JdbcTemplate(server.superuser()).queryForObject("SELECT count(*) FROM kept", Long.class))
                        .isZero();
            }
            assertThat(unrelated.isAlive()).as("the unrelated process was left alone").isTrue();
        } finally {
            unrelated.destroy();
        }
    }

    private static DatabaseProperties.Embedded settings(Path data) {
        DatabaseProperties.Embedded settings = DatabaseProperties.Embedded.in(data).onPort(0);
        return settings;
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", password).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }
}
