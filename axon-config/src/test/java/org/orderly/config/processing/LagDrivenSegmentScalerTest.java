package org.orderly.config.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.orderly.config.eventstore.TokenPositions;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.config.ProcessorProperties;

/** Segments follow a real pooled processor's distance from the head: split far behind, merged once it keeps up. */
class LagDrivenSegmentScalerTest {

    private static final String GROUP = "customers";

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Split at 50 events behind: a test's worth of events. */
    private final ProcessorProperties settings = ProcessorProperties.defaults().withSegments(1, 2, 50);
    private ScheduledExecutorService coordinator;
    private ScheduledExecutorService workers;
    private PooledStreamingEventProcessor processor;
    private LagDrivenSegmentScaler segments;
    private volatile boolean slow;

    @BeforeEach
    void startProcessor() {
        coordinator = Executors.newScheduledThreadPool(1);
        workers = Executors.newScheduledThreadPool(4);
        @SuppressWarnings({"unchecked", "rawtypes"})
        StreamableMessageSource<TrackedEventMessage<?>> events = (StreamableMessageSource) store;
        processor = PooledStreamingEventProcessor.builder()
                .name(GROUP)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(new Object() {
                    @EventHandler
                    void on(String event) throws InterruptedException {
                        if (slow) {
                            Thread.sleep(20);
                        }
                    }
                }).build())
                .messageSource(events)
                .tokenStore(new InMemoryTokenStore())
                .transactionManager(NoTransactionManager.INSTANCE)
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(1)
                .batchSize(10)
                .tokenClaimInterval(100)
                .build();
        segments = scaler(settings);
        processor.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> processor.processingStatus().size() == 1);
    }

    @AfterEach
    void stop() {
        slow = false;
        processor.shutDown();
        coordinator.shutdownNow();
        workers.shutdownNow();
    }

    @Test
    void aProcessorFarBehindIsSplitAndMergedBackOnceItKeepsUp() {
        splitFarBehind();
        assertThat(segments.lastChange(GROUP).kind()).isEqualTo("split");
        assertThat(registry.get("orderly.processor.segment.changes").tag("change", "split").counter().count())
                .isEqualTo(1.0);
        segments.check();
        assertThat(processor.processingStatus()).as("never more than the catch-up segments").hasSize(2);

        slow = false;
        awaitHandledUpTo(199);
        for (int i = 0; i < LagDrivenSegmentScaler.CALM_CHECKS_BEFORE_MERGE - 1; i++) {
            segments.check();
            assertThat(processor.processingStatus()).as("not merged on the first calm checks").hasSize(2);
        }
        segments.check();
        awaitSegments(1);
        assertThat(segments.lastChange(GROUP).kind()).isEqualTo("merge");
        assertThat(registry.get("orderly.processor.segments").gauge().value()).isEqualTo(1.0);

        publish(10);
        awaitHandledUpTo(209);
        assertThat(processor.processingStatus()).as("every event still handled by the merged segment").hasSize(1);
    }

    @Test
    void aProcessorSplitAgainSoonAfterAMergeWaitsTwiceAsLongBeforeItsNextMerge() {
        splitFarBehind();
        assertThat(segments.calmChecksBeforeMerge(GROUP)).isEqualTo(LagDrivenSegmentScaler.CALM_CHECKS_BEFORE_MERGE);
        slow = false;
        awaitHandledUpTo(199);
        for (int i = 0; i < LagDrivenSegmentScaler.CALM_CHECKS_BEFORE_MERGE; i++) {
            segments.check();
        }
        awaitSegments(1);

        splitFarBehind();
        int needed = segments.calmChecksBeforeMerge(GROUP);
        assertThat(needed).as("split again within the flap window").isEqualTo(2 * LagDrivenSegmentScaler.CALM_CHECKS_BEFORE_MERGE);
        slow = false;
        awaitHandledUpTo(399);
        for (int i = 0; i < needed - 1; i++) {
            segments.check();
            assertThat(processor.processingStatus()).as("still split after %d calm checks", i + 1).hasSize(2);
        }
        segments.check();
        awaitSegments(1);
        assertThat(registry.get("orderly.processor.segment.changes").tag("change", "merge").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void aReplayOnAQuietStoreIsSplitAndMergedBackThoughItsSegmentsStillCountAsReplaying() {
        publish(200);
        awaitHandledUpTo(199);
        processor.shutDown();
        processor.resetTokens();
        slow = true;
        processor.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> processor.processingStatus().size() == 1);

        segments.check();
        await().atMost(Duration.ofSeconds(10)).until(() -> processor.processingStatus().size() == 2);
        slow = false;
        awaitHandledUpTo(199);
        assertThat(processor.processingStatus().values()).as("no event after the reset point has arrived")
                .allMatch(s -> s.isReplaying());

        for (int i = 0; i < LagDrivenSegmentScaler.CALM_CHECKS_BEFORE_MERGE; i++) {
            segments.check();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> processor.processingStatus().size() == 1);
        publish(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> processor.processingStatus().values().stream()
                .allMatch(s -> s.getCurrentPosition().orElse(-1) >= 200 && !s.isReplaying()));
    }

    @Test
    void aProcessorCloseToTheHeadIsNotSplit() {
        publish(20);
        await().atMost(Duration.ofSeconds(5)).until(() -> processor.processingStatus().values().stream()
                .allMatch(s -> s.getCurrentPosition().orElse(-1) >= 19));
        segments.check();
        segments.check();
        assertThat(processor.processingStatus()).hasSize(1);
        assertThat(segments.lastChange(GROUP)).isNull();
    }

    @Test
    void withNoMoreCatchUpSegmentsThanInitialOnesNothingIsSplit() {
        segments = scaler(settings.withSegments(1, 1, 50));
        slow = true;
        publish(200);
        segments.check();
        assertThat(segments.lastChange(GROUP)).isNull();
        assertThat(processor.processingStatus()).hasSize(1);
    }

    /** Two hundred slow events, one check: the processor is split into the two catch-up segments. */
    private void splitFarBehind() {
        slow = true;
        publish(200);
        segments.check();
        awaitSegments(2);
    }

    private void awaitSegments(int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> processor.processingStatus().size() == count);
    }

    /** Waits until every segment has handled the event at {@code position}. */
    private void awaitHandledUpTo(long position) {
        await().atMost(Duration.ofSeconds(10)).until(() -> processor.processingStatus().values().stream()
                .allMatch(s -> s.getCurrentPosition().orElse(-1) >= position));
    }

    private void publish(int count) {
        List<EventMessage<?>> events = IntStream.range(0, count)
                .<EventMessage<?>>mapToObj(i -> new GenericDomainEventMessage<>("Customer", "customer-" + i, 0,
                        "registered " + i))
                .toList();
        store.publish(events);
    }

    private LagDrivenSegmentScaler scaler(ProcessorProperties settings) {
        return new LagDrivenSegmentScaler(List.of(GROUP), group -> Optional.of(processor),
                () -> store.createHeadToken() == null ? -1 : TokenPositions.of(store.createHeadToken()),
                settings, registry, Clock.systemUTC());
    }
}
