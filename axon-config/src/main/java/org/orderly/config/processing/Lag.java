package org.orderly.config.processing;

import java.time.Duration;

/**
 * How far a processor is behind the head of the event store.
 *
 * @param processor the processor (processing group)
 * @param head      global index of the newest event, or -1 for an empty store
 * @param position  global index of the oldest position among the processor's segments, or -1 before its first event
 * @param events    events the processor has still to see: {@code head - position}
 * @param behind    how long the oldest event it has not seen has been waiting; zero when caught up,
 *                  {@code null} when the event store cannot tell (Axon Server)
 */
public record Lag(String processor, long head, long position, long events, Duration behind) {

    public boolean caughtUp() {
        return events == 0;
    }

    /** Whether the processor is within {@code bound}, in time when known and otherwise in any events at all. */
    public boolean within(Duration bound) {
        return behind != null ? behind.compareTo(bound) <= 0 : events == 0;
    }
}
