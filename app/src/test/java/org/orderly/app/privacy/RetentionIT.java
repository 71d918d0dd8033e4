package org.orderly.app.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.common.PersonalData;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.NotificationTestSupport;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.command.customer.DeactivatedCustomersRetention;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Retention on the running application: data of each kind older than its period is removed by a run an operator
 * asks for at {@code POST /api/ops/retention/runs}, what is not finished stays however old, and the run shows in
 * {@code GET /api/ops/retention} and the metrics. Rows are made old by setting their times in the past.
 */
@OrderlyIntegrationTest
class RetentionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String AGE = "400 days";

    @LocalServerPort
    int port;
    @Autowired
    DomainStores stores;
    @Autowired
    JdbcTemplate main;
    @Autowired
    EventGateway events;
    @Autowired
    CommandGateway commands;
    @Autowired
    MeterRegistry meters;
    Identities identities;
    Http operator;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        operator = identities.operator();
    }

    @Test
    void notificationsSentOrGivenUpOnLongerAgoThanTheirPeriodAreRemovedAndPendingOnesKeptHoweverOld() {
        JdbcTemplate notification = stores.get("notification").jdbc();
        NotificationTestSupport support = new NotificationTestSupport(identities, notification);
        CustomerId oldWelcome = support.register("retention-" + UUID.randomUUID() + "@example.com");
        CustomerId newWelcome = support.register("retention-" + UUID.randomUUID() + "@example.com");
        String oldSent = support.awaitSent(oldWelcome, "CUSTOMER_WELCOME").get("notificationId").asText();
        String newSent = support.awaitSent(newWelcome, "CUSTOMER_WELCOME").get("notificationId").asText();
        // sent long ago, hence created before that
        notification.update("UPDATE notifications SET created_at = now() - interval '" + AGE + "' - interval '1 minute', "
                + "sent_at = now() - interval '" + AGE + "' WHERE notification_id = ?", UUID.fromString(oldSent));
        UUID oldFailed = insertNotification(notification, "FAILED", "now() - interval '" + AGE + "'");
        // due only in a year, so the dispatcher leaves it alone meanwhile
        UUID oldPending = insertNotification(notification, "PENDING", "now() + interval '365 days'");
        double removedBefore = removedCounter("sent-notifications");

        runRetention();

        assertThat(notificationIds(notification, UUID.fromString(oldSent), UUID.fromString(newSent), oldFailed,
                oldPending)).containsExactlyInAnyOrder(UUID.fromString(newSent), oldPending);
        assertThat(notification.queryForObject("SELECT count(*) FROM notification_queue WHERE notification_id = ?",
                Long.class, oldFailed)).as("the removed failed notification's queue row").isZero();
        assertThat(removedCounter("sent-notifications") - removedBefore).isGreaterThanOrEqualTo(2);
        JsonNode kind = kindOf("sent-notifications");
        assertThat(kind.get("period").asText()).isEqualTo("P90D");
        assertThat(kind.get("removedTotal").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(kind.get("lastRunAt").isNull()).isFalse();
        assertThat(kind.path("lastError").isNull() || kind.path("lastError").isMissingNode()).isTrue();
        assertThat(meters.get("orderly.retention.last.run").tag("kind", "sent-notifications").gauge().value())
                .isGreaterThan(Instant.now().minusSeconds(600).getEpochSecond());
    }

    @Test
    void finishedWorkflowsOlderThanTheirPeriodAreRemovedWithTheirStepsAndRunningOrParkedOnesKept() {
        String type = "retention-" + UUID.randomUUID();
        Map<WorkflowStatus, WorkflowId> old = new HashMap<>();
        for (WorkflowStatus status : WorkflowStatus.values()) {
            old.put(status, publish(type, status));
        }
        WorkflowId recentlyCompleted = publish(type, WorkflowStatus.COMPLETED);
        JdbcTemplate workflows = stores.get("workflows").jdbc();
        await().atMost(WAIT).until(() -> workflows.queryForObject(
                "SELECT count(*) FROM workflows WHERE type = ?", Long.class, type) == old.size() + 1);
        workflows.update("UPDATE workflows SET updated_at = now() - interval '" + AGE + "' WHERE type = ? AND workflow_id <> ?",
                type, recentlyCompleted.value());
        double removedBefore = removedCounter("finished-workflows");

        runRetention();

        assertThat(workflows.queryForList("SELECT status FROM workflows WHERE type = ?", String.class, type))
                .containsExactlyInAnyOrder("RUNNING", "COMPENSATING", "FAILED", "COMPENSATION_FAILED", "COMPLETED");
        assertThat(workflows.queryForObject("SELECT workflow_id FROM workflows WHERE type = ? AND status = 'COMPLETED'",
                UUID.class, type)).isEqualTo(recentlyCompleted.value());
        assertThat(workflows.queryForObject("SELECT count(*) FROM workflow_steps WHERE workflow_id IN (?, ?)", Long.class,
                old.get(WorkflowStatus.COMPLETED).value(), old.get(WorkflowStatus.COMPENSATED).value())).isZero();
        assertThat(operator.get("/api/workflows/" + old.get(WorkflowStatus.COMPLETED)).status()).isEqualTo(404);
        assertThat(operator.get("/api/workflows/" + old.get(WorkflowStatus.FAILED)).status()).isEqualTo(200);
        assertThat(removedCounter("finished-workflows") - removedBefore).isGreaterThanOrEqualTo(2);
        assertThat(kindOf("finished-workflows").get("period").asText()).isEqualTo("P180D");
    }

    @Test
    void idempotencyAnswersArePurgedOnceTheirReplayWindowHasPassed() {
        Identities.Customer customer = identities.customer("Keyed " + UUID.randomUUID());
        String expiredKey = "retention-" + UUID.randomUUID();
        String keptKey = "retention-" + UUID.randomUUID();
        for (String key : List.of(expiredKey, keptKey)) {
            Http.Response answered = customer.http().post("/api/customers/" + customer.id() + "/erasure", null,
                    "Idempotency-Key", key);
            assertThat(answered.status()).as(answered.toString()).isEqualTo(202);
        }
        main.update("UPDATE idempotency.idempotent_request SET expires_at = now() - interval '1 minute' "
                + "WHERE idempotency_key = ?", expiredKey);

        runRetention();

        assertThat(main.queryForList("SELECT idempotency_key FROM idempotency.idempotent_request "
                + "WHERE idempotency_key IN (?, ?)", String.class, expiredKey, keptKey)).containsExactly(keptKey);
        assertThat(kindOf("idempotency-answers").get("period").asText()).isEqualTo("P1D");
    }

    @Test
    void aCustomerDeactivatedLongerAgoThanTheSettingIsErasedByCommandAndNeverWhileTheSettingIsOff() {
        Identities.Customer longGone = deactivated();
        Identities.Customer recentlyGone = deactivated();
        stores.get("customer").jdbc().update(
                "UPDATE customers SET updated_at = now() - interval '" + AGE + "' WHERE customer_id = ?",
                UUID.fromString(longGone.id()));

        runRetention();

        assertThat(kindOf("deactivated-customers").get("period").isNull()).as("off by default").isTrue();
        assertThat(identities.staff().get("/api/customers/" + longGone.id() + "/erasure").status())
                .as("no erasure recorded").isEqualTo(404);
        assertThat(customerStatus(longGone)).isEqualTo("DEACTIVATED");

        // the same task as the application's, with the setting on
        DeactivatedCustomersRetention on = new DeactivatedCustomersRetention(stores, commands,
                Optional.of(Duration.ofDays(30)));
        long erased = on.removeExpired(Instant.now().minus(Duration.ofDays(30)), 1);

        assertThat(erased).isGreaterThanOrEqualTo(1);
        await().atMost(WAIT).until(() -> identities.staff().get("/api/customers/" + longGone.id() + "/erasure").json()
                .path("status").asText().equals("ERASED"));
        JsonNode view = identities.staff().get("/api/customers/" + longGone.id()).json();
        assertThat(view.get("email").asText()).isEqualTo(PersonalData.ERASED);
        assertThat(view.get("status").asText()).isEqualTo("ERASED");
        assertThat(customerStatus(recentlyGone)).isEqualTo("DEACTIVATED");
        assertThat(identities.staff().get("/api/customers/" + recentlyGone.id()).json().get("email").asText())
                .isEqualTo(recentlyGone.email());
    }

    @Test
    void anOperatorSeesEveryKindAndMayRunRetentionWhileOthersMayNot() {
        Http.Response state = operator.get("/api/ops/retention");

        assertThat(state.status()).isEqualTo(200);
        List<String> kinds = new java.util.ArrayList<>();
        state.json().get("kinds").forEach(kind -> kinds.add(kind.get("kind").asText()));
        assertThat(kinds).contains("deactivated-customers", "finished-workflows", "idempotency-answers",
                "sent-notifications");
        assertThat(state.json().get("nextRunAt").isNull()).isFalse();
        assertThat(identities.staff().get("/api/ops/retention").status()).isEqualTo(403);
        assertThat(identities.staff().post("/api/ops/retention/runs", null).status()).isEqualTo(403);
        assertThat(identities.anonymous().get("/api/ops/retention").status()).isEqualTo(401);
    }

    private Identities.Customer deactivated() {
        Identities.Customer customer = identities.customer("Leaving " + UUID.randomUUID());
        Http.Response response = customer.http().post("/api/customers/" + customer.id() + "/deactivation", null);
        assertThat(response.status()).as(response.toString()).isEqualTo(204);
        await().atMost(WAIT).until(() -> "DEACTIVATED".equals(customerStatus(customer)));
        return customer;
    }

    private String customerStatus(Identities.Customer customer) {
        List<String> status = stores.get("customer").jdbc().queryForList(
                "SELECT status FROM customers WHERE customer_id = ?", String.class, UUID.fromString(customer.id()));
        return status.isEmpty() ? null : status.get(0);
    }

    private WorkflowId publish(String type, WorkflowStatus status) {
        WorkflowId id = new WorkflowId(UUID.randomUUID());
        Instant at = Instant.now().minus(Duration.ofDays(400));
        boolean ended = status == WorkflowStatus.COMPLETED || status == WorkflowStatus.COMPENSATED;
        events.publish(new WorkflowUpdatedEvent(id, type, "business-" + id, status, ended ? null : "reserve-stock",
                null, 1, List.of(new WorkflowStep("reserve-stock", ended ? "COMPLETED" : "RUNNING", at,
                ended ? at.plusSeconds(1) : null, null))));
        return id;
    }

    /** A notification not sent: its record, and its row in the dispatcher's queue. */
    private static UUID insertNotification(JdbcTemplate notification, String status, String nextAttempt) {
        UUID id = UUID.randomUUID();
        notification.update("INSERT INTO notifications (notification_id, source_event_id, type, customer_id, status, "
                + "attempts, created_at, recorded_at) VALUES (?, ?, 'CUSTOMER_WELCOME', ?, ?, 5, "
                + "now() - interval '" + AGE + "', now() - interval '" + AGE + "')",
                id, "retention-" + id, UUID.randomUUID(), status);
        // a PENDING record is queued by the database already: its queue row gets this test's times
        notification.update("INSERT INTO notification_queue (notification_id, state, next_attempt_at, recorded_at) "
                + "VALUES (?, ?, " + nextAttempt + ", now() - interval '" + AGE + "') ON CONFLICT (notification_id) "
                + "DO UPDATE SET state = EXCLUDED.state, next_attempt_at = EXCLUDED.next_attempt_at, "
                + "recorded_at = EXCLUDED.recorded_at", id, status);
        return id;
    }

    private static List<UUID> notificationIds(JdbcTemplate notification, UUID... ids) {
        String placeholders = String.join(", ", java.util.Collections.nCopies(ids.length, "?"));
        return notification.queryForList("SELECT notification_id FROM notifications WHERE notification_id IN ("
                + placeholders + ")", UUID.class, (Object[]) ids);
    }

    private double removedCounter(String kind) {
        return meters.get("orderly.retention.removed").tag("kind", kind).counter().count();
    }

    private JsonNode kindOf(String kind) {
        for (JsonNode each : operator.get("/api/ops/retention").json().get("kinds")) {
            if (each.get("kind").asText().equals(kind)) {
                return each;
            }
        }
        throw new AssertionError("no retention kind " + kind);
    }

    /** Asks for a run as an operator and waits until it has ended. */
    private void runRetention() {
        Http.Response asked = operator.post("/api/ops/retention/runs", null);
        assertThat(asked.status()).as(asked.toString()).isEqualTo(202);
        assertThat(asked.header("Location")).isEqualTo("/api/ops/retention");
        long run = asked.json().get("run").asLong();
        await().atMost(WAIT).until(() -> operator.get("/api/ops/retention").json().get("lastFinishedRun").asLong() >= run);
    }
}
