package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.database.EmbeddedCredentials;
import org.orderly.config.database.OrderlyDatabase;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Who may connect to the database and what the application's own login may do to the events, tried on the real
 * PostgreSQL: every refusal is PostgreSQL's own.
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: its test rows in the event store never reach another test's processors
class DatabaseAccessIT {

    /** PostgreSQL's insufficient_privilege. */
    private static final String PERMISSION_DENIED = "42501";
    /** PostgreSQL's invalid_password. */
    private static final String INVALID_PASSWORD = "28P01";

    @Autowired
    OrderlyDatabase database;
    @Autowired
    JdbcTemplate main;

    @Test
    void theEventStoreRoleCannotUpdateDeleteOrTruncateEvents() throws SQLException {
        try (Connection eventStore = asEventStoreRole()) {
            for (String statement : List.of(
                    "UPDATE event_store.domain_event_entry SET payload_type = payload_type",
                    "DELETE FROM event_store.domain_event_entry",
                    "TRUNCATE event_store.domain_event_entry",
                    "UPDATE event_store.snapshot_event_entry SET payload_type = payload_type",
                    "TRUNCATE event_store.snapshot_event_entry",
                    "ALTER TABLE event_store.domain_event_entry DISABLE TRIGGER ALL",
                    "DROP TABLE event_store.domain_event_entry",
                    "SELECT setval('event_store.domain_event_entry_global_index_seq', 1)",
                    "CREATE TABLE event_store.intruder (id int)")) {
                assertThatThrownBy(() -> execute(eventStore, statement)).as(statement)
                        .isInstanceOf(SQLException.class)
                        .satisfiesAnyOf(
                                e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(PERMISSION_DENIED),
                                // Only its owner may alter or drop a table: PostgreSQL says so with its own code.
                                e -> assertThat(e).hasMessageContaining("must be owner"));
            }
        }
    }

    @Test
    void theEventStoreRoleAppendsAndReadsEventsAndReplacesSnapshots() throws SQLException {
        String aggregate = "access-test-" + UUID.randomUUID();
        try (Connection eventStore = asEventStoreRole()) {
            eventStore.setAutoCommit(false);
            try {
                execute(eventStore, """
                        INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                            event_identifier, payload, payload_type, time_stamp)
                        VALUES ('%1$s', 0, 'AccessTest', '%1$s', '\\x7b7d', 'AccessTest', '2026-01-01T00:00:00Z')
                        """.formatted(aggregate));
                try (Statement statement = eventStore.createStatement();
                     var rows = statement.executeQuery("SELECT count(*) FROM event_store.domain_event_entry "
                             + "WHERE aggregate_identifier = '" + aggregate + "'")) {
                    rows.next();
                    assertThat(rows.getLong(1)).isEqualTo(1);
                }
                // What Axon does when it stores a snapshot: insert the new one, delete the older ones.
                execute(eventStore, """
                        INSERT INTO event_store.snapshot_event_entry (aggregate_identifier, sequence_number, type,
                            event_identifier, payload, payload_type, time_stamp)
                        VALUES ('%1$s', 0, 'AccessTest', 'snapshot-%1$s', '\\x7b7d', 'AccessTest', '2026-01-01T00:00:00Z')
                        """.formatted(aggregate));
                execute(eventStore, "DELETE FROM event_store.snapshot_event_entry WHERE aggregate_identifier = '"
                        + aggregate + "' AND sequence_number < 1");
            } finally {
                eventStore.rollback();
            }
        }
    }

    @Test
    void theApplicationRunsAsTheEventStoreRoleWhichOwnsNothingAndIsNoSuperuser() {
        assertThat(main.queryForObject("SELECT current_user", String.class)).isEqualTo(database.username());
        assertThat(main.queryForObject("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", Boolean.class))
                .isFalse();
        assertThat(main.queryForObject("""
                SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                """, Long.class)).isZero();
    }

    @Test
    void theEmbeddedServerRefusesAConnectionWithoutOrWithAWrongPassword() {
        assumeTrue(database.isEmbedded(), "the embedded server's own rules");
        for (String role : List.of(EmbeddedCredentials.SUPERUSER, database.username(), database.ownerUsername(),
                "orderly_customer")) {
            assertThatThrownBy(() -> DriverManager.getConnection(database.url(), role, "wrong-password").close())
                    .as("wrong password for " + role).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(INVALID_PASSWORD));
            Properties noPassword = new Properties();
            noPassword.setProperty("user", role);
            assertThatThrownBy(() -> DriverManager.getConnection(database.url(), noPassword).close())
                    .as("no password for " + role).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
        }
        JdbcTemplate superuser = new JdbcTemplate(database.admin().orElseThrow());
        assertThat(superuser.queryForList("SELECT DISTINCT auth_method FROM pg_hba_file_rules", String.class))
                .containsExactly("scram-sha-256");
        assertThat(superuser.queryForObject("SHOW password_encryption", String.class)).isEqualTo("scram-sha-256");
        assertThat(superuser.queryForList("""
                SELECT rolname FROM pg_authid WHERE rolcanlogin AND coalesce(rolpassword, '') NOT LIKE 'SCRAM-SHA-256$%'
                """, String.class)).as("login roles without a SCRAM password").isEmpty();
    }

    @Test
    void theEmbeddedServerListensOnTheLoopbackAddressesOnly() throws IOException {
        assumeTrue(database.isEmbedded(), "the embedded server's own settings");
        assertThat(main.queryForObject("SHOW listen_addresses", String.class)).isEqualTo("localhost");
        int port = main.queryForObject("SHOW port", Integer.class);
        for (InetAddress address : NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .toList()) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 2000))
                        .as("connecting to " + address.getHostAddress() + ":" + port).isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void theCredentialsFileIsReadableByItsOwnerOnlyAndHoldsEveryRolesPassword() throws IOException {
        assumeTrue(database.isEmbedded(), "the embedded server's credentials");
        EmbeddedCredentials credentials = database.embeddedCredentials().orElseThrow();
        Path file = credentials.file();
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(credentials.kept(database.username())).isEqualTo(database.password());
        assertThat(credentials.kept(database.ownerUsername())).isEqualTo(database.ownerPassword());
        assertThat(credentials.kept(EmbeddedCredentials.SUPERUSER)).isNotBlank();
        assertThat(credentials.kept("orderly_customer")).isNotBlank();
        assertThat(credentials.kept("orderly_cart")).isNotBlank();
        // initdb's password file lives only as long as initdb.
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    private Connection asEventStoreRole() throws SQLException {
        return DriverManager.getConnection(database.url(), database.username(), database.password());
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
