package org.orderly.app.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;
import org.orderly.config.audit.DataAccessAudit;
import org.orderly.config.database.OrderlyDatabase;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The data-access audit log on real PostgreSQL: what staff and operators reach of a customer's personal data is
 * recorded, a customer's own reads are not, operators page through it, and the audit role can add entries but
 * never change or remove one (PostgreSQL's own refusals), except old ones through the retention function.
 */
@OrderlyIntegrationTest
class AuditLogIT {

    /** PostgreSQL's insufficient_privilege. */
    private static final String PERMISSION_DENIED = "42501";

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;
    @Autowired
    DataAccessAudit audit;
    @Autowired
    OrderlyDatabase database;
    Identities identities;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
    }

    @Test
    void staffReadingACustomerIsRecordedOnceWithWhoWhatAndHowItEnded() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());

        assertThat(identities.staff().get("/api/customers/" + ada.id(), "Orderly-Position", ada.position()).status()).isEqualTo(200);

        JsonNode entries = identities.operator().get("/api/audit?subjectId=" + ada.id()).json().get("items");
        assertThat(entries).hasSize(1);
        JsonNode entry = entries.get(0);
        assertThat(entry.get("actor").asText()).isEqualTo("staff");
        assertThat(entry.get("actorRoles").asText()).isEqualTo("STAFF");
        assertThat(entry.get("subjectId").asText()).isEqualTo(ada.id());
        assertThat(entry.get("operation").asText()).isEqualTo("GET /api/customers/{customerId}");
        assertThat(entry.get("outcome").asText()).isEqualTo("200");
        assertThat(Instant.parse(entry.get("at").asText())).isBetween(Instant.now().minusSeconds(60), Instant.now());
    }

    @Test
    void aCustomerReadingTheirOwnDataLeavesNoEntry() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());

        assertThat(ada.http().get("/api/customers/" + ada.id(), "Orderly-Position", ada.position()).status()).isEqualTo(200);
        assertThat(ada.http().get("/api/customers").json().get("items")).hasSize(1);
        assertThat(ada.http().get("/api/notifications").status()).isEqualTo(200);

        assertThat(identities.operator().get("/api/audit?subjectId=" + ada.id()).json().get("items")).isEmpty();
    }

    @Test
    void staffChangingACustomerIsRecordedAndAnotherCustomersAttemptIsRecordedWithItsRefusal() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Identities.Customer eve = identities.customer("Eve " + UUID.randomUUID());

        assertThat(identities.staff().put("/api/customers/" + ada.id() + "/credit-limit",
                "{\"amount\": \"700.00\", \"currency\": \"EUR\"}").status()).isEqualTo(204);
        assertThat(eve.http().get("/api/customers/" + ada.id()).status()).isEqualTo(404);

        List<String> seen = new ArrayList<>();
        identities.operator().get("/api/audit?subjectId=" + ada.id()).json().get("items").forEach(entry ->
                seen.add(entry.get("actor").asText() + " " + entry.get("operation").asText() + " "
                        + entry.get("outcome").asText()));
        assertThat(seen).containsExactly(
                eve.id() + " GET /api/customers/{customerId} 404",
                "staff PUT /api/customers/{customerId}/credit-limit 204");
    }

    @Test
    void staffReadingAnOrderIsRecordedAgainstTheCustomerWhoPlacedIt() {
        Shop shop = new Shop(identities);
        String customer = shop.customer("1000.00");
        String product = shop.product("Audited pen", "2.00");
        shop.receive(product, 10);
        String order = shop.place(customer, Shop.line(product, 1));

        shop.awaitOrder(order, o -> true);
        assertThat(shop.as(customer).get("/api/orders/" + order).status()).isEqualTo(200);

        JsonNode entries = identities.operator().get("/api/audit?limit=100&subjectId=" + customer).json().get("items");
        assertThat(entries.findValuesAsText("operation")).contains("GET /api/orders/{orderId}");
        assertThat(entries.findValuesAsText("actor")).containsOnly("staff");
    }

    @Test
    void staffReadingACustomersNotificationsIsRecorded() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http staff = identities.staff();

        await().atMost(Duration.ofSeconds(30)).until(() -> staff.get("/api/notifications?customerId=" + ada.id())
                .json().path("items").size() > 0);

        assertThat(identities.operator().get("/api/audit?subjectId=" + ada.id()).json().get("items")
                .findValuesAsText("operation")).isNotEmpty().containsOnly("GET /api/notifications");
    }

    @Test
    void staffListingCustomersIsRecordedOncePerListedCustomer() {
        identities.customer("Ada " + UUID.randomUUID());
        Instant since = Instant.now();

        JsonNode page = identities.staff().get("/api/customers?limit=100").json();
        List<String> listed = page.get("items").findValuesAsText("customerId");

        JsonNode recorded = identities.operator().get("/api/audit?actor=staff&limit=100&from=" + since).json();
        assertThat(recorded.get("items").findValuesAsText("subjectId")).containsExactlyInAnyOrderElementsOf(listed);
        assertThat(listed).isNotEmpty();
        assertThat(recorded.get("items").findValuesAsText("operation")).containsOnly("GET /api/customers");

        String chosen = UUID.randomUUID().toString();
        identities.staff().get("/api/customers?limit=1&customerId=" + chosen);
        assertThat(identities.operator().get("/api/audit?subjectId=" + chosen).json().get("items"))
                .as("a parameter the list does not take names nobody").isEmpty();
    }

    @Test
    void anOperatorPagesThroughACustomersEntriesNewestFirstNarrowedByActorAndTime() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Instant before = Instant.now();
        for (int i = 0; i < 5; i++) {
            assertThat(identities.staff().get("/api/customers/" + ada.id(), "Orderly-Position", ada.position()).status()).isEqualTo(200);
        }

        List<Long> ids = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String path = "/api/audit?limit=2&actor=staff&subjectId=" + ada.id();
        for (JsonNode page : identities.operator().pages(path)) {
            pageSizes.add(page.get("items").size());
            page.get("items").forEach(entry -> ids.add(entry.get("id").asLong()));
        }

        assertThat(pageSizes).containsExactly(2, 2, 1);
        assertThat(ids).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(identities.operator().get("/api/audit?actor=operator&subjectId=" + ada.id()).json().get("items"))
                .isEmpty();
        assertThat(identities.operator().get("/api/audit?subjectId=" + ada.id() + "&to=" + before).json()
                .get("items")).isEmpty();
        assertThat(identities.operator().get("/api/audit?subjectId=" + ada.id() + "&from=" + before).json()
                .get("items")).hasSize(5);
    }

    @Test
    void onlyOperatorsMayReadTheLog() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());

        assertThat(identities.anonymous().get("/api/audit").status()).isEqualTo(401);
        assertThat(ada.http().get("/api/audit?subjectId=" + ada.id()).status()).isEqualTo(403);
        assertThat(identities.staff().get("/api/audit").status()).isEqualTo(403);
        assertThat(identities.operator().get("/api/audit").status()).isEqualTo(200);
    }

    @Test
    void malformedParametersAreProblemsNamingTheParameter() {
        Http operator = identities.operator();
        for (String[] bad : List.of(
                new String[] {"subjectId=ada", "subjectId"},
                new String[] {"from=yesterday", "from"},
                new String[] {"to=2026-13-01T00:00:00Z", "to"},
                new String[] {"from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"},
                new String[] {"limit=0", "limit"},
                new String[] {"cursor=not-a-cursor", "cursor"})) {
            Http.Response response = operator.get("/api/audit?" + bad[0]);
            assertThat(response.status()).as(bad[0]).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("errors").findValuesAsText("field")).as(bad[0]).containsExactly(bad[1]);
        }
    }

    @Test
    void entriesTheDatabaseRefusesWaitAndAreWrittenOnceItAcceptsThemAgainWhileHealthShowsTheBacklog() {
        Identities.Customer ada = identities.customer("Ada " + UUID.randomUUID());
        Http staff = identities.staff();
        assertThat(staff.get("/api/customers/" + ada.id(), "Orderly-Position", ada.position()).status()).isEqualTo(200);
        assertThat(audit.flush(Duration.ofSeconds(10))).isTrue();
        JdbcTemplate admin = new JdbcTemplate(database.admin().orElseThrow());
        admin.execute("REVOKE INSERT ON audit.access_entry FROM orderly_audit");
        try {
            assertThat(staff.get("/api/customers/" + ada.id()).status()).as("the read is not refused").isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> audit.failingSince() != null);
            assertThat(audit.pending()).isPositive();
            assertThat(audit.writeFailures()).isPositive();
            Http.Response health = identities.operator().get("/actuator/health/audit");
            assertThat(health.json().findValuesAsText("status")).contains("DEGRADED");
        } finally {
            admin.execute("GRANT INSERT ON audit.access_entry TO orderly_audit");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> audit.pending() == 0 && audit.failingSince() == null);
        assertThat(identities.operator().get("/api/audit?subjectId=" + ada.id()).json().get("items")).hasSize(2);
    }

    @Test
    void theAuditRoleMayAddAndReadEntriesButNeverUpdateDeleteTruncateOrDropThem() throws SQLException {
        DomainStore store = stores.get("audit");
        assertThat(store.role()).isEqualTo("orderly_audit");
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try {
                execute(connection, """
                        INSERT INTO access_entry (at, actor_subject, actor_roles, subject_id, operation, outcome)
                        VALUES (now(), 'staff', 'STAFF', 'role-test', 'GET /api/customers/{customerId}', '200')
                        """);
                execute(connection, "SELECT count(*) FROM access_entry");
            } finally {
                connection.rollback();
            }
            connection.setAutoCommit(true);
            for (String statement : List.of(
                    "UPDATE access_entry SET outcome = 'nothing happened'",
                    "DELETE FROM access_entry",
                    "TRUNCATE access_entry",
                    "SELECT setval('access_entry_id_seq', 1)")) {
                assertThatThrownBy(() -> execute(connection, statement)).as(statement)
                        .isInstanceOfSatisfying(SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED));
            }
            for (String statement : List.of(
                    "DROP TABLE access_entry",
                    "ALTER TABLE access_entry DISABLE TRIGGER ALL",
                    "CREATE OR REPLACE FUNCTION remove_entries_before(cutoff timestamptz) RETURNS bigint "
                            + "LANGUAGE sql AS 'SELECT 0::bigint'",
                    "CREATE TABLE intruder (id int)")) {
                // Only an owner may alter or drop, and the audit role owns nothing: PostgreSQL's own refusals.
                assertThatThrownBy(() -> execute(connection, statement)).as(statement)
                        .isInstanceOf(SQLException.class)
                        .satisfiesAnyOf(
                                e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(PERMISSION_DENIED),
                                e -> assertThat(e).hasMessageContaining("must be owner"));
            }
        }
    }

    @Test
    void theCheckRunAtStartupNoticesARightToRewriteTheLog() {
        DomainStore store = stores.get("audit");
        assertThat(DomainStores.rewriteRights(store)).isEmpty();

        JdbcTemplate admin = new JdbcTemplate(database.admin().orElseThrow());
        admin.execute("GRANT UPDATE, DELETE ON audit.access_entry TO orderly_audit");
        try {
            assertThat(DomainStores.rewriteRights(store))
                    .containsExactlyInAnyOrder("may UPDATE on access_entry", "may DELETE on access_entry");
        } finally {
            admin.execute("REVOKE UPDATE, DELETE ON audit.access_entry FROM orderly_audit");
        }
        assertThat(DomainStores.rewriteRights(store)).isEmpty();
    }

    @Test
    void retentionRemovesOnlyEntriesOlderThanTheCutoffAndNeverThoseOfTheLastDay() {
        JdbcTemplate asAuditRole = stores.get("audit").jdbc();
        String old = "retention-old-" + UUID.randomUUID();
        String kept = "retention-kept-" + UUID.randomUUID();
        Instant now = Instant.now();
        insert(asAuditRole, old, now.minus(Duration.ofDays(400)));
        insert(asAuditRole, kept, now.minus(Duration.ofDays(2)));

        assertThatThrownBy(() -> audit.removeEntriesBefore(now)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> audit.removeEntriesBefore(now.minus(Duration.ofHours(23))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(count(asAuditRole, old) + count(asAuditRole, kept)).isEqualTo(2);

        assertThat(audit.removeEntriesBefore(now.minus(Duration.ofDays(3)))).isPositive();

        assertThat(count(asAuditRole, old)).isZero();
        assertThat(count(asAuditRole, kept)).isEqualTo(1);
    }

    private static void insert(JdbcTemplate jdbc, String subject, Instant at) {
        jdbc.update("""
                INSERT INTO access_entry (at, actor_subject, actor_roles, subject_id, operation, outcome)
                VALUES (?, 'staff', 'STAFF', ?, 'retention test', '200')
                """, Timestamp.from(at), subject);
    }

    private static long count(JdbcTemplate jdbc, String subject) {
        return jdbc.queryForObject("SELECT count(*) FROM access_entry WHERE subject_id = ?", Long.class, subject);
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
