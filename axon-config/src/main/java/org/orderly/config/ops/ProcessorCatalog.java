package org.orderly.config.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.Lag;
import org.orderly.config.processing.ProcessorLag;
import org.orderly.config.processing.SegmentPosition;

/**
 * Every event processor Axon runs, as an operator sees it. Iterates Axon's own registry, so a processor
 * added later shows up without a change here.
 */
public class ProcessorCatalog {

    private final Supplier<EventProcessingConfiguration> processing;
    private final DomainStores stores;
    private final ProcessorLag lag;
    private final DeadLetters deadLetters;
    private final Replays replays;

    public ProcessorCatalog(Supplier<EventProcessingConfiguration> processing, DomainStores stores, ProcessorLag lag,
                            DeadLetters deadLetters, Replays replays) {
        this.processing = processing;
        this.stores = stores;
        this.lag = lag;
        this.deadLetters = deadLetters;
        this.replays = replays;
    }

    public List<OpsViews.Processor> all() {
        return processing.get().eventProcessors().values().stream()
                .sorted(Comparator.comparing(EventProcessor::getName))
                .map(this::view)
                .toList();
    }

    public Optional<OpsViews.Processor> find(String name) {
        return Optional.ofNullable(processing.get().eventProcessors().get(name)).map(this::view);
    }

    private OpsViews.Processor view(EventProcessor processor) {
        String name = processor.getName();
        Optional<DomainStore> store = stores.forProcessingGroup(name);
        Map<Integer, EventTrackerStatus> live = processor instanceof StreamingEventProcessor streaming
                ? streaming.processingStatus() : Map.of();
        List<OpsViews.Segment> segments = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean replaying = false;
        long head = lag.head();
        Long lagEvents = null;
        Double lagSeconds = null;
        if (store.isPresent()) {
            for (SegmentPosition s : lag.segments(name)) {
                EventTrackerStatus status = live.get(s.segment());
                String error = status != null && status.isErrorState() ? describe(status.getError()) : null;
                segments.add(new OpsViews.Segment(s.segment(), s.owner(), s.position(), s.replaying(), error));
                replaying |= s.replaying();
            }
            Lag current = lag.of(name);
            lagEvents = current.events();
            lagSeconds = current.behind() == null ? null : current.behind().toMillis() / 1000.0;
        } else {
            live.forEach((segment, status) -> segments.add(new OpsViews.Segment(segment, null,
                    status.getCurrentPosition().orElse(-1L), status.isReplaying(),
                    status.isErrorState() ? describe(status.getError()) : null)));
            replaying = live.values().stream().anyMatch(EventTrackerStatus::isReplaying);
        }
        segments.forEach(s -> {
            if (s.error() != null) {
                errors.add("segment " + s.segment() + ": " + s.error());
            }
        });
        String status = !processor.isRunning() ? "STOPPED"
                : processor.isError() || !errors.isEmpty() ? "ERROR"
                : replaying ? "REPLAYING" : "RUNNING";
        return new OpsViews.Processor(name, ProcessorKind.of(processor), store.map(DomainStore::name).orElse(null),
                store.map(DomainStore::schema).orElse(null), status, segments, head, lagEvents, lagSeconds, replaying,
                replays.running(name).orElse(null), store.isPresent() ? deadLetters.count(name) : 0, errors);
    }

    private static String describe(Throwable error) {
        return error == null ? "unknown error" : error.getClass().getSimpleName() + ": " + error.getMessage();
    }
}
