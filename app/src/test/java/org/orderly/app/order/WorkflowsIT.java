package org.orderly.app.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.ApiAssertions.assertProblem;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.OrderlyHealth;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The workflows read model and its REST API, fed with saga updates published as a saga publishes them. Each
 * test uses a workflow type of its own, so that lists see only its workflows. (The sagas' own updates are
 * checked end to end in {@code FulfilmentIT}.)
 */
@OrderlyIntegrationTest
class WorkflowsIT {

    private static final Instant T0 = Instant.parse("2030-01-01T10:00:00Z");

    @LocalServerPort
    int port;
    @Autowired
    EventGateway events;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    MeterRegistry meters;
    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    @Qualifier("workflowsHealthIndicator")
    HealthIndicator health;
    Identities identities;
    /** The operator: they follow workflows and retry them. */
    Http http;
    String type;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        http = identities.operator();
        type = "test-" + UUID.randomUUID();
    }

    @Test
    void aWorkflowShowsItsNewestRevisionWhateverOrderUpdatesArriveIn() {
        WorkflowId id = new WorkflowId(UUID.randomUUID());
        String business = UUID.randomUUID().toString();
        publish(id, business, WorkflowStatus.RUNNING, "reserve-stock", T0, 1,
                step("reserve-stock", "RUNNING", null));
        publish(id, business, WorkflowStatus.COMPENSATING, "release-stock", null, 3,
                step("reserve-stock", "FAILED", "out of stock"), step("release-stock", "RUNNING", null));
        awaitRevision(id, 3);
        publish(id, business, WorkflowStatus.RUNNING, "authorize-payment", T0, 2,
                step("reserve-stock", "COMPLETED", null), step("authorize-payment", "RUNNING", null));
        // A later update lands after the stale ones: once it shows, they have been applied (or skipped) too.
        WorkflowId marker = new WorkflowId(UUID.randomUUID());
        publish(marker, "marker", WorkflowStatus.COMPLETED, null, null, 1);
        awaitRevision(marker, 1);

        Http.Response response = http.get("/api/workflows/" + id);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("ETag")).isEqualTo("\"3\"");
        JsonNode workflow = response.json();
        assertThat(workflow.get("workflowId").asText()).isEqualTo(id.toString());
        assertThat(workflow.get("type").asText()).isEqualTo(type);
        assertThat(workflow.get("businessId").asText()).isEqualTo(business);
        assertThat(workflow.get("status").asText()).isEqualTo("COMPENSATING");
        assertThat(workflow.get("currentStep").asText()).isEqualTo("release-stock");
        assertThat(workflow.get("deadline").isNull()).isTrue();
        assertThat(workflow.get("steps")).hasSize(2);
        JsonNode first = workflow.get("steps").get(0);
        assertThat(first.get("name").asText()).isEqualTo("reserve-stock");
        assertThat(first.get("status").asText()).isEqualTo("FAILED");
        assertThat(first.get("error").asText()).isEqualTo("out of stock");
        assertThat(Instant.parse(first.get("startedAt").asText())).isEqualTo(T0);
        assertThat(Instant.parse(first.get("endedAt").asText())).isEqualTo(T0.plusSeconds(1));
        assertThat(workflow.get("steps").get(1).get("endedAt").isNull()).isTrue();
    }

    /**
     * A saga that crashed after its update reached the event store, but before its own state committed, decides
     * again from its older state and may publish another state under the same revision: the later one stands.
     */
    @Test
    void aLaterUpdateUnderTheSameRevisionReplacesTheEarlierOne() {
        WorkflowId id = new WorkflowId(UUID.randomUUID());
        String business = UUID.randomUUID().toString();
        publish(id, business, WorkflowStatus.RUNNING, "authorize-payment", T0, 2,
                step("reserve-stock", "COMPLETED", null), step("authorize-payment", "RUNNING", null));
        publish(id, business, WorkflowStatus.RUNNING, "await-dispatch", T0, 2,
                step("reserve-stock", "COMPLETED", null), step("authorize-payment", "COMPLETED", null),
                step("await-dispatch", "RUNNING", null));
        WorkflowId marker = new WorkflowId(UUID.randomUUID());
        publish(marker, "marker", WorkflowStatus.COMPLETED, null, null, 1);
        awaitRevision(marker, 1);

        JsonNode workflow = http.get("/api/workflows/" + id).json();

        assertThat(workflow.get("currentStep").asText()).isEqualTo("await-dispatch");
        assertThat(workflow.get("steps")).hasSize(3);
    }

    @Test
    void anUnknownWorkflowIsA404AndAMalformedIdA400() {
        Http.Response unknown = http.get("/api/workflows/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertProblem(http.get("/api/workflows/not-an-id"), 400, "workflowId");
    }

    @Test
    void workflowsAreListedByTypeStatusAndBusinessIdPageByPage() {
        List<String> ids = new ArrayList<>();
        String business = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            WorkflowId id = new WorkflowId(UUID.randomUUID());
            ids.add(id.toString());
            publish(id, i == 0 ? business : UUID.randomUUID().toString(),
                    i < 3 ? WorkflowStatus.COMPLETED : WorkflowStatus.COMPENSATION_FAILED, null, null, 1);
        }
        ids.forEach(id -> awaitRevision(WorkflowId.of(id), 1));

        List<String> seen = new ArrayList<>();
        for (JsonNode page : http.pages("/api/workflows?type=" + type + "&limit=2")) {
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(w -> seen.add(w.get("workflowId").asText()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).isSorted();

        assertThat(http.get("/api/workflows?type=" + type + "&status=COMPENSATION_FAILED").json().get("items"))
                .hasSize(2);
        JsonNode byBusiness = http.get("/api/workflows?businessId=" + business).json().get("items");
        assertThat(byBusiness).hasSize(1);
        assertThat(byBusiness.get(0).get("workflowId").asText()).isEqualTo(ids.get(0));
        assertProblem(http.get("/api/workflows?status=LOST"), 400, "status");
        assertProblem(http.get("/api/workflows?cursor=not-a-cursor"), 400, "cursor");
        assertProblem(http.get("/api/workflows?limit=0"), 400, "limit");
    }

    @Test
    void sagasWaitingPastTheirDeadlineAreListedCountedAndDegradeTheHealth() {
        Instant past = Instant.now().minus(1, ChronoUnit.HOURS);
        WorkflowId running = new WorkflowId(UUID.randomUUID());
        WorkflowId compensating = new WorkflowId(UUID.randomUUID());
        WorkflowId onTime = new WorkflowId(UUID.randomUUID());
        WorkflowId finished = new WorkflowId(UUID.randomUUID());
        double stuckBefore = meters.get("orderly.workflows.stuck").gauge().value();
        try {
            publish(running, "a", WorkflowStatus.RUNNING, "authorize-payment", past, 1);
            publish(compensating, "b", WorkflowStatus.COMPENSATING, "release-stock", past, 1);
            publish(onTime, "c", WorkflowStatus.RUNNING, "await-dispatch", Instant.now().plus(1, ChronoUnit.HOURS), 1);
            publish(finished, "d", WorkflowStatus.COMPLETED, null, past, 1);
            List.of(running, compensating, onTime, finished).forEach(id -> awaitRevision(id, 1));

            JsonNode stuck = http.get("/api/workflows?type=" + type + "&stuck=true").json().get("items");
            assertThat(stuck).extracting(w -> w.get("workflowId").asText())
                    .containsExactlyInAnyOrder(running.toString(), compensating.toString());
            assertThat(http.get("/api/workflows?type=" + type + "&stuck=false").json().get("items")).hasSize(4);
            assertThat(meters.get("orderly.workflows.stuck").gauge().value()).isEqualTo(stuckBefore + 2);
            assertThat(health.health().getStatus()).isEqualTo(OrderlyHealth.DEGRADED);
            assertThat(health.health().getDetails()).containsEntry("stuck", (long) stuckBefore + 2);
        } finally {
            // Unstuck again, so that the application's health is back to what other tests expect.
            publish(running, "a", WorkflowStatus.COMPENSATED, null, null, 2);
            publish(compensating, "b", WorkflowStatus.COMPENSATED, null, null, 2);
            awaitRevision(running, 2);
            awaitRevision(compensating, 2);
        }
        assertThat(meters.get("orderly.workflows.stuck").gauge().value()).isEqualTo(stuckBefore);
    }

    @Test
    void aParkedWorkflowCanBeRetriedAndTheRetryIsPublishedForItsSaga() {
        WorkflowId parked = new WorkflowId(UUID.randomUUID());
        publish(parked, "a", WorkflowStatus.COMPENSATION_FAILED, "release-stock", null, 4,
                step("release-stock", "FAILED", "inventory unavailable"));
        awaitRevision(parked, 4);
        long retriesBefore = retryEvents(parked);

        assertThat(identities.staff().get("/api/workflows/" + parked).status()).as("staff follow workflows").isEqualTo(200);
        assertThat(identities.staff().post("/api/workflows/" + parked + "/retry", null, "If-Match", "\"4\"").status())
                .as("only operators retry").isEqualTo(403);
        assertProblem(http.post("/api/workflows/" + parked + "/retry", null, "If-Match", "\"3\""), 409, "If-Match");
        assertThat(retryEvents(parked)).isEqualTo(retriesBefore);

        Http.Response retried = http.post("/api/workflows/" + parked + "/retry", null, "If-Match", "\"4\"");

        assertThat(retried.status()).as(retried.toString()).isEqualTo(202);
        assertThat(retryEvents(parked)).isEqualTo(retriesBefore + 1);
        assertThat(http.post("/api/workflows/" + parked + "/retry", null).status())
                .as("a failed saga may be retried again until it moves").isEqualTo(202);

        WorkflowId failed = new WorkflowId(UUID.randomUUID());
        publish(failed, "b", WorkflowStatus.FAILED, "await-delivery", null, 1);
        awaitRevision(failed, 1);
        assertThat(http.post("/api/workflows/" + failed + "/retry", null).status()).isEqualTo(202);
    }

    @Test
    void retryingAWorkflowThatIsNotParkedIsA409AndUnknownA404AndWritesNothing() {
        WorkflowId running = new WorkflowId(UUID.randomUUID());
        WorkflowId compensated = new WorkflowId(UUID.randomUUID());
        publish(running, "a", WorkflowStatus.RUNNING, "reserve-stock", Instant.now().plusSeconds(3600), 1);
        publish(compensated, "b", WorkflowStatus.COMPENSATED, null, null, 7);
        awaitRevision(running, 1);
        awaitRevision(compensated, 7);
        long before = eventCount();

        assertProblem(http.post("/api/workflows/" + running + "/retry", null), 409, "status");
        assertProblem(http.post("/api/workflows/" + compensated + "/retry", null), 409, "status");
        Http.Response unknown = http.post("/api/workflows/" + UUID.randomUUID() + "/retry", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
        assertProblem(http.post("/api/workflows/" + running + "/retry", null, "If-Match", "nope"), 400, "If-Match");

        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aReplayRebuildsTheSameWorkflows() {
        WorkflowId id = new WorkflowId(UUID.randomUUID());
        publish(id, "a", WorkflowStatus.RUNNING, "reserve-stock", T0, 1, step("reserve-stock", "RUNNING", null));
        publish(id, "a", WorkflowStatus.COMPLETED, "capture-payment", null, 2,
                step("reserve-stock", "COMPLETED", null), step("capture-payment", "COMPLETED", null));
        awaitRevision(id, 2);
        String before = http.get("/api/workflows/" + id).body();

        StreamingEventProcessor processor = processing.eventProcessor("workflows", StreamingEventProcessor.class)
                .orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> before.equals(http.get("/api/workflows/" + id).body()));
    }

    private void publish(WorkflowId id, String business, WorkflowStatus status, String currentStep, Instant deadline,
                         long revision, WorkflowStep... steps) {
        events.publish(new WorkflowUpdatedEvent(id, type, business, status, currentStep, deadline, revision,
                List.of(steps)));
    }

    private static WorkflowStep step(String name, String status, String error) {
        return new WorkflowStep(name, status, T0, "RUNNING".equals(status) ? null : T0.plusSeconds(1), error);
    }

    private void awaitRevision(WorkflowId id, long revision) {
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response response = http.get("/api/workflows/" + id);
            return response.status() == 200 && response.json().get("status") != null
                    && ("\"" + revision + "\"").equals(response.header("ETag"));
        });
    }

    private long retryEvents(WorkflowId id) {
        return eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE payload_type = 'org.orderly.api.workflow.WorkflowRetryRequestedEvent'
                   AND convert_from(payload, 'UTF8') LIKE ?
                """, Long.class, "%" + id + "%");
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }
}
