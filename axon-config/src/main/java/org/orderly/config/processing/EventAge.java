package org.orderly.config.processing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * How old an event is when a processor handles it, and when the batch that handled it commits, measured
 * from the event's time stamp (taken by the command handler that applied it):
 * {@code orderly.processor.event.age{processor, stage=handled|committed}}. Lag says how far behind a
 * processor is; this says how long a change takes to reach its read model, and which part of the way
 * takes the time: waiting to be handled (detection, wake-up, the coordinator, the worker's batch) or
 * handling and committing. Percentiles cover the last minute or so. Replayed events are not recorded:
 * their age is the age of the history, not a delay.
 */
public final class EventAge implements MessageHandlerInterceptor<EventMessage<?>> {

    static final Duration WINDOW = Duration.ofSeconds(60);

    private final String processor;
    private final Timer handled;
    private final Timer committed;
    private final Clock clock;
    private final String resourceKey;

    private EventAge(String processor, MeterRegistry registry, Clock clock) {
        this.processor = processor;
        this.handled = timer(registry, processor, "handled");
        this.committed = timer(registry, processor, "committed");
        this.clock = clock;
        this.resourceKey = EventAge.class.getName() + "." + processor;
    }

    /** Micrometer hands out the same timers for the same processor, however often Axon asks (a reset, a rebuild). */
    public static EventAge of(String processor, MeterRegistry registry) {
        return new EventAge(processor, registry, Clock.systemUTC());
    }

    static EventAge of(String processor, MeterRegistry registry, Clock clock) {
        return new EventAge(processor, registry, clock);
    }

    private static Timer timer(MeterRegistry registry, String processor, String stage) {
        return Timer.builder("orderly.processor.event.age")
                .description("Time from an event's time stamp to its processor handling it, or to the commit of "
                        + "the batch that handled it")
                .tag("processor", processor).tag("stage", stage)
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(WINDOW)
                .distributionStatisticBufferLength(3)
                .register(registry);
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        EventMessage<?> event = unitOfWork.getMessage();
        if (!ReplayToken.isReplay(event)) {
            long stamp = event.getTimestamp().toEpochMilli();
            handled.record(Duration.ofMillis(Math.max(0, clock.millis() - stamp)));
            UnitOfWork<?> batch = unitOfWork.root();
            Stamps stamps = batch.getOrComputeResource(resourceKey, key -> {
                Stamps created = new Stamps();
                batch.afterCommit(u -> created.committed());
                return created;
            });
            stamps.add(stamp);
        }
        return chain.proceed();
    }

    /** The time stamps of one batch's events, recorded once it commits (a rolled back batch is handled again). */
    private final class Stamps {
        private final List<Long> millis = new ArrayList<>();

        synchronized void add(long stamp) {
            millis.add(stamp);
        }

        synchronized void committed() {
            long now = clock.millis();
            millis.forEach(stamp -> committed.record(Duration.ofMillis(Math.max(0, now - stamp))));
        }
    }

    @Override
    public String toString() {
        return "EventAge[" + processor + "]";
    }
}
