package org.orderly.config.eventstore;

import java.util.List;

import org.axonframework.eventhandling.EventMessage;

/**
 * Sees the events an append is about to store, inside the append's transaction and before any of them is
 * serialized, so that what serializing each event needs can be made ready for all of them at once: a group commit's
 * append of many registrations then creates their subjects' data keys in one statement, not one per event.
 */
@FunctionalInterface
public interface AppendingEventsListener {

    void appending(List<? extends EventMessage<?>> events);
}
