package org.orderly.config.ops;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.Cause;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.DeadLetterCauses;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dead letters of every domain-store processor, through Axon's own queue and processor APIs (each
 * queue lives in its domain's schema). A retry processes the letter's whole sequence, in order, as Axon
 * does; an eviction is recorded in {@code ops.dead_letter_eviction}.
 */
public class DeadLetters {

    private final Supplier<EventProcessingConfiguration> processing;
    private final DomainStores stores;
    private final JdbcTemplate ops;
    private final Clock clock;
    private final DeadLetterCauses causes;

    public DeadLetters(Supplier<EventProcessingConfiguration> processing, DomainStores stores, JdbcTemplate ops,
                       Clock clock, DeadLetterCauses causes) {
        this.processing = processing;
        this.stores = stores;
        this.ops = ops;
        this.clock = clock;
        this.causes = causes;
    }

    /** The processors that have a dead-letter queue: every domain-store processing group. */
    public List<String> processors() {
        return stores.all().stream().flatMap(store -> store.processingGroups().stream()).toList();
    }

    public long count(String processor) {
        return queue(processor).map(SequencedDeadLetterQueue::size).orElse(0L);
    }

    /** Letters in queue order (sequence by sequence), skipping {@code offset}, at most {@code limit}. */
    public List<OpsViews.DeadLetter> list(String processor, int offset, int limit) {
        List<OpsViews.DeadLetter> page = new ArrayList<>();
        int skipped = 0;
        for (String group : processor == null ? processors() : List.of(requireKnown(processor))) {
            Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = queue(group);
            if (queue.isEmpty()) {
                continue;
            }
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.get().deadLetters()) {
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    if (skipped++ < offset) {
                        continue;
                    }
                    if (page.size() == limit) {
                        return page;
                    }
                    page.add(view(group, letter));
                }
            }
        }
        return page;
    }

    /** Retries the sequence the letter belongs to: it drains if every letter in it now succeeds. */
    public OpsViews.Retry retry(String id) {
        Found found = find(id);
        String sequence = found.letter.getSequenceIdentifier();
        processor(found.processor).process(first -> first instanceof JdbcDeadLetter<?> jdbc
                && jdbc.getSequenceIdentifier().equals(sequence));
        long remaining = remaining(found.processor, sequence);
        return new OpsViews.Retry(found.processor, sequence, remaining == 0, remaining);
    }

    public OpsViews.RetryAll retryAll(String processor) {
        requireKnown(processor);
        Set<String> sequences = new LinkedHashSet<>();
        queue(processor).ifPresent(queue -> queue.deadLetters().forEach(sequence -> sequence.forEach(letter -> {
            if (letter instanceof JdbcDeadLetter<?> jdbc) {
                sequences.add(jdbc.getSequenceIdentifier());
            }
        })));
        SequencedDeadLetterProcessor<EventMessage<?>> retrying = processor(processor);
        int drained = 0;
        for (String sequence : sequences) {
            retrying.process(first -> first instanceof JdbcDeadLetter<?> jdbc
                    && jdbc.getSequenceIdentifier().equals(sequence));
            if (remaining(processor, sequence) == 0) {
                drained++;
            }
        }
        return new OpsViews.RetryAll(processor, sequences.size(), drained, sequences.size() - drained);
    }

    /** Removes the letter from its queue for good, and records who did so. */
    public void evict(String id, String evictedBy) {
        Found found = find(id);
        OpsViews.DeadLetter view = view(found.processor, found.letter);
        queue(found.processor).orElseThrow().evict(found.letter);
        ops.update("""
                INSERT INTO ops.dead_letter_eviction (dead_letter_id, processor_name, domain, sequence_identifier,
                       event_identifier, payload_type, cause, enqueued_at, evicted_by, evicted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dead_letter_id) DO NOTHING
                """, view.id(), view.processor(), view.domain(), view.sequenceIdentifier(), view.eventIdentifier(),
                view.payloadType(), found.letter.cause().map(Cause::message).orElse(null),
                Timestamp.from(view.enqueuedAt()), evictedBy,
                Timestamp.from(clock.instant()));
    }

    private long remaining(String processor, String sequence) {
        long count = 0;
        for (DeadLetter<?> ignored : queue(processor).orElseThrow().deadLetterSequence(sequence)) {
            count++;
        }
        return count;
    }

    private record Found(String processor, JdbcDeadLetter<? extends EventMessage<?>> letter) {
    }

    private Found find(String id) {
        for (String group : processors()) {
            Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = queue(group);
            if (queue.isEmpty()) {
                continue;
            }
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.get().deadLetters()) {
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    if (letter instanceof JdbcDeadLetter<? extends EventMessage<?>> jdbc && jdbc.getIdentifier().equals(id)) {
                        return new Found(group, jdbc);
                    }
                }
            }
        }
        throw new RefusedException(Refusal.notFound("No dead letter with id " + id));
    }

    private String requireKnown(String processor) {
        if (stores.forProcessingGroup(processor).isEmpty()) {
            throw new RefusedException(Refusal.notFound("No processor with a dead-letter queue named " + processor));
        }
        return processor;
    }

    private Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue(String processor) {
        return processing.get().deadLetterQueue(processor);
    }

    private SequencedDeadLetterProcessor<EventMessage<?>> processor(String processor) {
        return processing.get().sequencedDeadLetterProcessor(processor).orElseThrow(() ->
                new RefusedException(Refusal.notFound("No dead-letter processor for " + processor)));
    }

    private OpsViews.DeadLetter view(String processor, DeadLetter<? extends EventMessage<?>> letter) {
        EventMessage<?> message = letter.message();
        DomainStore store = stores.forProcessingGroup(processor).orElseThrow();
        JdbcDeadLetter<?> jdbc = (JdbcDeadLetter<?>) letter;
        Optional<Cause> cause = letter.cause();
        return new OpsViews.DeadLetter(jdbc.getIdentifier(), processor, store.name(), jdbc.getSequenceIdentifier(),
                jdbc.getSequenceIndex(), message.getIdentifier(), message.getPayloadType().getName(),
                message instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : null,
                message instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : null,
                letter.enqueuedAt(), letter.lastTouched(), cause.map(Cause::type).orElse(null),
                cause.map(Cause::message).map(causes::readable).orElse(null), subjectOf(message));
    }

    /** The customer the letter's event belongs to; {@code null} when it names none or cannot be read. */
    private static String subjectOf(EventMessage<?> message) {
        try {
            return org.orderly.config.audit.DataSubjects.of(message.getPayload());
        } catch (RuntimeException unreadable) {
            return null; // an event that cannot be read shows no personal data either
        }
    }
}
