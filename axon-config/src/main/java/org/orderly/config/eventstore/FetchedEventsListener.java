package org.orderly.config.eventstore;

import java.util.List;

import org.axonframework.eventhandling.TrackedEventData;

/**
 * Sees each batch of stored events a tracking read fetches from the event table, as stored (before upcasting and
 * deserialization), so that what every event of the batch will need can be made ready at once rather than one event
 * at a time: a replay of a million events then asks once per batch, not once per event.
 */
@FunctionalInterface
public interface FetchedEventsListener {

    void fetched(List<? extends TrackedEventData<?>> batch);
}
