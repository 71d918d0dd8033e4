package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Orderly on a PostgreSQL it did not start: a separate server stands in for the external database a
 * deployment would use.
 */
class ExternalDatabaseIT {

    private static final Path ADMIN_SCRIPT = Path.of("..", "docker", "postgres", "init", "01-orderly-roles.sql");

    private EmbeddedPostgres external;
    private Path unusedEmbeddedDirectory;

    @BeforeEach
    void startExternalServer() throws IOException {
        external = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start();
        unusedEmbeddedDirectory = Files.createTempDirectory("orderly-unused-").resolve("pgdata");
    }

    @AfterEach
    void stopExternalServer() throws IOException {
        external.close();
    }

    @Test
    void aConfiguredUrlIsUsedAndNoEmbeddedDatabaseStarts() {
        try (ConfigurableApplicationContext app = start(
                "orderly.database.url=" + url(), "orderly.database.username=postgres",
                "orderly.database.manage-roles=true")) {
            assertThat(app.getBean(OrderlyDatabase.class).isEmbedded()).isFalse();
            assertThat(registerAndRead(app)).isTrue();
            assertThat(new JdbcTemplate(external.getPostgresDatabase())
                    .queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class)).isPositive();
            // The administrator login only provisions: the application runs as the role it created.
            assertThat(app.getBean(OrderlyDatabase.class).username()).isEqualTo(OrderlyDatabase.MANAGED_EVENT_STORE_ROLE);
            assertEventsCannotBeChanged(app);
        }
        assertThat(unusedEmbeddedDirectory).doesNotExist();
    }

    @Test
    void theDocumentedAdministratorScriptPreparesADatabaseOrderlyDoesNotManage() throws IOException {
        new JdbcTemplate(external.getPostgresDatabase()).execute(Files.readString(ADMIN_SCRIPT));

        try (ConfigurableApplicationContext app = start(withScriptPasswords(
                "orderly.database.url=" + url(), "orderly.database.username=orderly",
                "orderly.database.password=orderly-dev"))) {
            assertThat(app.getBean(OrderlyDatabase.class).managesRoles()).isFalse();
            app.getBean(OrderlyDatabase.class).mainSchemas().forEach(schema ->
                    assertThat(readString(ADMIN_SCRIPT)).as("the script creates main schema " + schema)
                            .contains("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION orderly_owner"));
            app.getBean(DomainStores.class).all().forEach(store ->
                    assertThat(readString(ADMIN_SCRIPT)).as("the script provisions domain " + store.name())
                            .contains("CREATE SCHEMA IF NOT EXISTS " + store.schema() + " AUTHORIZATION "
                                    + (store.appendOnly() ? "orderly_owner" : store.role())));
            assertThat(registerAndRead(app)).isTrue();
            assertEventsCannotBeChanged(app);
        }
    }

    @Test
    void aDomainMovesToAnotherDatabaseByChangingOnlyItsOwnConnectionSettings() throws IOException {
        try (EmbeddedPostgres elsewhere = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60)).start()) {
            new JdbcTemplate(elsewhere.getPostgresDatabase()).execute(Files.readString(ADMIN_SCRIPT));
            String customerUrl = "jdbc:postgresql://localhost:" + elsewhere.getPort() + "/postgres";

            try (ConfigurableApplicationContext app = start(
                    "orderly.database.url=" + url(), "orderly.database.username=postgres",
                    "orderly.database.manage-roles=true",
                    "orderly.domains.customer.url=" + customerUrl,
                    "orderly.domains.customer.password=orderly-customer-dev")) {
                assertThat(registerAndRead(app)).isTrue();
                assertThat(new JdbcTemplate(elsewhere.getPostgresDatabase())
                        .queryForObject("SELECT count(*) FROM customer.customers", Long.class)).isPositive();
                assertThat(new JdbcTemplate(external.getPostgresDatabase()).queryForObject(
                        "SELECT count(*) FROM pg_namespace WHERE nspname = 'customer'", Long.class))
                        .as("the main database holds no customer schema").isZero();
            }
        }
    }

    @Test
    void startupRefusesADomainRoleThatCanReachBeyondItsSchema() throws IOException {
        JdbcTemplate admin = new JdbcTemplate(external.getPostgresDatabase());
        admin.execute(Files.readString(ADMIN_SCRIPT));
        admin.execute("GRANT USAGE ON SCHEMA event_store TO orderly_customer");

        assertThatThrownBy(() -> start(withScriptPasswords(
                "orderly.database.url=" + url(), "orderly.database.username=orderly",
                "orderly.database.password=orderly-dev")))
                .hasStackTraceContaining("is not isolated to schema customer")
                .hasStackTraceContaining("may use schema event_store");
    }

    @Test
    void withoutTheAdministratorScriptStartupFailsAndPrintsTheScript() {
        assertThatThrownBy(() -> start(
                "orderly.database.url=" + url(), "orderly.database.username=postgres",
                "orderly.domains.customer.password=whatever"))
                .hasStackTraceContaining("an administrator runs this once")
                .hasStackTraceContaining("CREATE SCHEMA IF NOT EXISTS event_store AUTHORIZATION orderly_owner");
    }

    @Test
    void withTheMainRolesButNoDomainRolesStartupFailsAndPrintsTheDomainsScript() throws IOException {
        JdbcTemplate admin = new JdbcTemplate(external.getPostgresDatabase());
        admin.execute(Files.readString(ADMIN_SCRIPT).lines()
                .takeWhile(line -> !line.contains("orderly_customer")).collect(java.util.stream.Collectors.joining("\n")));

        assertThatThrownBy(() -> start(
                "orderly.database.url=" + url(), "orderly.database.username=orderly",
                "orderly.database.password=orderly-dev", "orderly.database.owner-password=orderly-owner-dev",
                "orderly.domains.customer.password=whatever"))
                .hasStackTraceContaining("an administrator runs this once")
                .hasStackTraceContaining("CREATE SCHEMA IF NOT EXISTS customer AUTHORIZATION orderly_customer");
    }

    /** The role the application runs as appends and reads events, and can neither change nor remove one. */
    private static void assertEventsCannotBeChanged(ConfigurableApplicationContext app) {
        JdbcTemplate eventStore = app.getBean(JdbcTemplate.class);
        assertThat(eventStore.queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class)).isPositive();
        for (String statement : List.of("UPDATE event_store.domain_event_entry SET type = type",
                "DELETE FROM event_store.domain_event_entry", "TRUNCATE event_store.domain_event_entry")) {
            assertThatThrownBy(() -> eventStore.execute(statement)).as(statement)
                    .rootCause().hasMessageContaining("permission denied");
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(properties)
                .properties(Identities.PROPERTIES)
                .properties("orderly.database.embedded.data-directory=" + unusedEmbeddedDirectory)
                // A command-line argument: a builder property is a default, which application.yml's port overrides.
                .run("--server.port=0");
    }

    /**
     * Adds the passwords the administrator script gives the owner of the main schemas and each domain role, so that
     * the migrations and every declared domain can log in.
     */
    private static String[] withScriptPasswords(String... properties) {
        List<String> all = new ArrayList<>(List.of(properties));
        all.add("orderly.database.owner-password=orderly-owner-dev");
        Matcher role = Pattern.compile("ALTER ROLE orderly_(\\w+) WITH .*PASSWORD '([^']*)'")
                .matcher(readString(ADMIN_SCRIPT));
        while (role.find()) {
            all.add("orderly.domains." + role.group(1) + ".password=" + role.group(2));
        }
        return all.toArray(String[]::new);
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + external.getPort() + "/postgres";
    }

    private static boolean registerAndRead(ConfigurableApplicationContext app) {
        Identities identities = new Identities(((WebServerApplicationContext) app).getWebServer().getPort());
        Http.Response created = identities.anonymous().post("/api/customers", "{\"email\": \"ext-" + UUID.randomUUID()
                + "@example.com\", \"name\": \"External\", \"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("customerId").asText();
        Http staff = identities.staff();
        await().atMost(Duration.ofSeconds(15)).until(() -> staff.get("/api/customers/" + id).status() == 200);
        return true;
    }

    private static String readString(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
