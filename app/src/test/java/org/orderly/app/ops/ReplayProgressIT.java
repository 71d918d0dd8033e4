package org.orderly.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.TrackingToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A replay's progress and estimated time left as the operator API shows them, on a replay held at a known event so
 * that both are determined: the position it stands at, the percentage that is of the target, and the seconds left
 * at the rate so far. One event per batch, so that the position the replay reports is the event before the one
 * it is held at.
 */
@OrderlyIntegrationTest
@DirtiesContext // a context of its own: close it, and its database, when the class is done
@Import(ReplayProgressIT.HeldReplay.class)
@TestPropertySource(properties = "orderly.processors.batch-size=1")
class ReplayProgressIT {

    static final String GROUP = "ops-held";
    /** A replayed event at or after this position waits for {@link #release}. */
    static volatile long holdFrom = Long.MAX_VALUE;
    static volatile CountDownLatch release = new CountDownLatch(0);

    @TestConfiguration(proxyBeanMethods = false)
    static class HeldReplay {
        @Bean
        DomainStoreDefinition heldReplayDomainStore() {
            return DomainStoreDefinition.of("poison", GROUP);
        }

        @Bean
        HeldProjection heldProjection() {
            return new HeldProjection();
        }
    }

    /** Handles every event, and holds a replay at {@link #holdFrom}. */
    @ProcessingGroup(GROUP)
    static class HeldProjection {
        @EventHandler
        void on(Object event, TrackingToken token, ReplayStatus status) throws InterruptedException {
            OptionalLong position = token.position();
            if (status.isReplay() && position.isPresent() && position.getAsLong() >= holdFrom) {
                release.await(60, TimeUnit.SECONDS);
            }
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Http http;
    Http operator;

    @BeforeEach
    void setUp() {
        Identities identities = new Identities(port);
        http = identities.anonymous();
        operator = identities.operator();
    }

    @AfterEach
    void releaseTheReplay() {
        holdFrom = Long.MAX_VALUE;
        release.countDown();
    }

    @Test
    void aReplayHeldAQuarterOfTheWayShowsItsPositionPercentAndAnEstimateThatGrowsWhileItStandsStill()
            throws InterruptedException {
        for (int i = 0; i < 12; i++) {
            Identities.signUp(http, "Held " + i);
        }
        Awaits.awaitCaughtUp(operator, GROUP);
        long head = processor().get("head").asLong();
        release = new CountDownLatch(1);
        holdFrom = head / 4;
        // the last event the replay handles before it is held
        long heldAfter = eventStore.queryForObject(
                "SELECT max(global_index) FROM event_store.domain_event_entry WHERE global_index < ?", Long.class,
                holdFrom);
        assertThat(heldAfter).as("events before the one the replay is held at").isPositive();

        Http.Response started = asOperator("POST", "/api/ops/processors/" + GROUP + "/replay");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String replay = "/api/ops/replays/" + started.json().get("replayId").asText();

        JsonNode held = await().atMost(Duration.ofSeconds(30)).until(() -> asOperator("GET", replay).json(),
                r -> r.get("position").asLong() == heldAfter && r.path("etaSeconds").isNumber());
        long target = held.get("targetPosition").asLong();
        assertThat(target).as("the head when the replay started").isGreaterThanOrEqualTo(head);
        double percent = held.get("percent").asDouble();
        assertThat(percent).as("the position as a share of the target")
                .isEqualTo(Math.round(100.0 * (heldAfter + 1) / (target + 1) * 10) / 10.0);
        assertThat(percent).isBetween(1.0, 50.0);
        Instant startedAt = Instant.parse(held.get("startedAt").asText());

        Thread.sleep(1500);
        Instant asked = Instant.now();
        JsonNode later = asOperator("GET", replay).json();
        Instant answered = Instant.now();
        assertThat(later.get("outcome").asText()).isEqualTo("RUNNING");
        assertThat(later.get("position").asLong()).as("a held replay stands still").isEqualTo(heldAfter);
        assertThat(later.get("percent").asDouble()).isEqualTo(percent);
        // the time so far, scaled from the share done to the share left, at some moment between asking and the answer
        long eta = later.get("etaSeconds").asLong();
        assertThat(eta).as("seconds left, %s%% done since %s", percent, startedAt)
                .isBetween(secondsLeft(startedAt, asked, percent), secondsLeft(startedAt, answered, percent))
                .isGreaterThan(held.get("etaSeconds").asLong());

        release.countDown();
        JsonNode done = await().atMost(Duration.ofSeconds(30)).until(() -> asOperator("GET", replay).json(),
                r -> !r.get("outcome").asText().equals("RUNNING"));
        assertThat(done.get("outcome").asText()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(done.path("etaSeconds").isNumber()).as("an estimate once it is done").isFalse();
    }

    private static long secondsLeft(Instant startedAt, Instant now, double percent) {
        return Math.round(Duration.between(startedAt, now).toMillis() / 1000.0 * (100.0 - percent) / percent);
    }

    private JsonNode processor() {
        return asOperator("GET", "/api/ops/processors/" + GROUP).json();
    }

    private Http.Response asOperator(String method, String path) {
        return operator.request(method, path, null);
    }
}
