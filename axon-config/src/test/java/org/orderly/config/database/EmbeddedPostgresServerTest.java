package org.orderly.config.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.orderly.config.OrderlyProperties;
import org.springframework.jdbc.core.JdbcTemplate;

/** The embedded server's logins: passwords for everyone, kept across restarts, also on data from before them. */
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
        OrderlyProperties.Embedded settings = settings(data);

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

    private static OrderlyProperties.Embedded settings(Path data) {
        OrderlyProperties.Embedded settings = new OrderlyProperties.Embedded();
        settings.setDataDirectory(data);
        settings.setPort(0);
        settings.setTemporary(false);
        return settings;
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", password).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
    }
}
