package org.orderly.app.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.eventstore.gaps.LateCommitAuditor;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An event whose transaction holds its global index open past both of Axon's gap bounds (here 2 s and 50 indexes)
 * while other events commit is still projected.
 */
@OrderlyIntegrationTest
@TestPropertySource(properties = {
        "orderly.eventstore.gap-timeout=2s",
        "orderly.eventstore.max-gap-offset=50",
        "orderly.eventstore.late-commit-check-interval=200ms"})
class LateCommitIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    MeterRegistry meters;
    @Autowired
    LateCommitAuditor auditor;

    Http http;
    Http staff;
    ListAppender<ILoggingEvent> auditLog = new ListAppender<>();
    Logger auditLogger = (Logger) LoggerFactory.getLogger(LateCommitAuditor.class);

    @BeforeEach
    void setUp() {
        Identities identities = new Identities(port);
        http = identities.anonymous();
        staff = identities.staff();
        auditLog.start();
        auditLogger.addAppender(auditLog);
    }

    @AfterEach
    void tearDown() {
        auditLogger.detachAppender(auditLog);
    }

    @Test
    void aRegistrationCommittedAfterReadersPassedItsIndexIsReportedAndProjected() throws Exception {
        // A registered customer's event is the template for the one held open.
        String template = register();
        awaitReadable(template);
        double lateBefore = lateCommits();

        String late = UUID.randomUUID().toString();
        long heldIndex;
        try (Connection held = eventStore.getDataSource().getConnection()) {
            held.setAutoCommit(false);
            heldIndex = insertCopy(held, template, late);

            // Past the maximum gap offset: more than 50 registrations commit after the held index...
            for (int i = 0; i < 60; i++) {
                register();
            }
            // ...and past the gap timeout, with more committing after it.
            Thread.sleep(2_500);
            String last = null;
            for (int i = 0; i < 10; i++) {
                last = register();
            }
            awaitReadable(last);
            assertThat(staff.get("/api/customers/" + late).status()).isEqualTo(404);
            held.commit();
        }
        Instant committed = Instant.now();

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> staff.get("/api/customers/" + late).status() == 200);
        Duration projectedAfter = Duration.between(committed, Instant.now());

        assertThat(staff.get("/api/customers/" + late).json().get("customerId").asText()).isEqualTo(late);
        assertThat(lateCommits() - lateBefore).isGreaterThanOrEqualTo(1);
        List<String> warnings = auditLog.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).anyMatch(m -> m.startsWith("Event store index " + heldIndex + " committed after"));
        await().atMost(Duration.ofSeconds(10)).until(() -> auditor.details().containsKey("lastLateCommit"));
        assertThat(auditor.details().get("lastLateCommit").toString()).contains("globalIndex=" + heldIndex);
        assertThat(http.get("/actuator/health").json().get("components").get("lateCommits").get("status").asText())
                .isEqualTo("UP");
        System.out.printf("Held index %d committed late; readable %d ms after its commit%n", heldIndex,
                projectedAfter.toMillis());
    }

    @Test
    void aRegistrationCommittedWithinTheGapBoundsIsReadInOrderAndNotReportedLate() throws Exception {
        String template = register();
        awaitReadable(template);
        double lateBefore = lateCommits();

        String held = UUID.randomUUID().toString();
        long heldIndex;
        try (Connection connection = eventStore.getDataSource().getConnection()) {
            connection.setAutoCommit(false);
            heldIndex = insertCopy(connection, template, held);
            String last = null;
            for (int i = 0; i < 5; i++) {
                last = register();
            }
            awaitReadable(last);
            connection.commit();
        }

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> staff.get("/api/customers/" + held).status() == 200);
        Thread.sleep(1_000); // several audits
        assertThat(lateCommits()).isEqualTo(lateBefore);
        assertThat(auditLog.list).noneMatch(e -> e.getFormattedMessage().contains("index " + heldIndex + " "));
    }

    /** Inserts, uncommitted, a copy of the template's registration for another customer; answers its index. */
    private static long insertCopy(Connection held, String template, String customer) throws Exception {
        try (PreparedStatement insert = held.prepareStatement("""
                INSERT INTO event_store.domain_event_entry (aggregate_identifier, sequence_number, type,
                       event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                SELECT ?, sequence_number, type, ?, meta_data,
                       convert_to(replace(replace(convert_from(payload, 'UTF8'), ?, ?), ?, ?), 'UTF8'),
                       payload_revision, payload_type, ?
                  FROM event_store.domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0
                RETURNING global_index
                """)) {
            insert.setString(1, customer);
            insert.setString(2, UUID.randomUUID().toString());
            insert.setString(3, template);
            insert.setString(4, customer);
            insert.setString(5, "@example.com\"");
            insert.setString(6, "@late.example.com\"");
            insert.setString(7, Instant.now().toString());
            insert.setString(8, template);
            try (ResultSet rs = insert.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    private String register() {
        return Identities.signUp(http, "Grace Hopper").id();
    }

    private void awaitReadable(String customer) {
        await().atMost(Duration.ofSeconds(20)).until(() -> staff.get("/api/customers/" + customer).status() == 200);
    }

    private double lateCommits() {
        var counter = meters.find("orderly.eventstore.late.commits").counter();
        return counter == null ? 0 : counter.count();
    }
}
