package org.orderly.command.sagas;

import java.lang.reflect.Field;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.axonframework.eventhandling.gateway.DefaultEventGateway;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.inmemory.InMemorySagaStore;
import org.axonframework.test.deadline.ScheduledDeadlineInfo;
import org.axonframework.test.deadline.StubDeadlineManager;
import org.axonframework.test.saga.ContinuedGivenState;
import org.axonframework.test.saga.SagaTestFixture;
import org.axonframework.test.utils.CallbackBehavior;
import org.orderly.api.workflow.WorkflowUpdatedEvent;

/**
 * One saga driven step by step on Axon's saga fixture, for property-based tests: events delivered one at a
 * time, time advanced to the next deadline, and crashes.
 * <p>
 * A crash is simulated as Orderly's saga processor suffers it: the saga handles an event, its commands run
 * and commit (each in a unit of work of its own), then the process dies before the saga's transaction
 * commits. The saga's state and the deadlines it set or cancelled roll back (its state goes back through
 * Jackson, as the saga store keeps it), and the event is delivered again.
 */
public final class SagaRun<T> {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Class<T> sagaType;
    private final SagaTestFixture<T> fixture;
    private final InMemorySagaStore store;
    private final StubDeadlineManager deadlines;
    private final List<WorkflowUpdatedEvent> published = new ArrayList<>();
    private ContinuedGivenState given;

    public SagaRun(Class<T> sagaType, CallbackBehavior commands, Object... resources) {
        this.sagaType = sagaType;
        this.fixture = new SagaTestFixture<>(sagaType);
        for (Object resource : resources) {
            fixture.registerResource(resource);
        }
        fixture.registerResource(DefaultEventGateway.builder().eventBus(fixture.getEventBus()).build());
        fixture.setCallbackBehavior(commands);
        fixture.getEventBus().subscribe(messages -> messages.forEach(message -> {
            if (message.getPayload() instanceof WorkflowUpdatedEvent update) {
                synchronized (published) {
                    published.add(update);
                }
            }
        }));
        this.store = (InMemorySagaStore) internal("sagaStore");
        this.deadlines = (StubDeadlineManager) internal("deadlineManager");
        this.given = fixture.givenCurrentTime(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public void deliver(Object event) {
        given = given.andThenAPublished(event);
    }

    /** Delivers {@code event}, then loses whatever the saga of {@code key} recorded of it, and delivers it again. */
    public void deliverAndCrash(Object event, AssociationValue key) {
        Set<String> before = store.findSagas(sagaType, key);
        String id = before.isEmpty() ? null : before.iterator().next();
        String state = null;
        Set<AssociationValue> associations = null;
        if (id != null) {
            SagaStore.Entry<T> entry = store.loadSaga(sagaType, id);
            state = write(entry.saga());
            associations = new HashSet<>(entry.associationValues());
        }
        List<ScheduledDeadlineInfo> scheduledBefore = List.copyOf(deadlines.getScheduledDeadlines());

        given = given.andThenAPublished(event);

        for (String sagaId : store.findSagas(sagaType, key)) {
            store.deleteSaga(sagaType, sagaId, new HashSet<>(store.loadSaga(sagaType, sagaId).associationValues()));
        }
        if (id != null) {
            store.insertSaga(sagaType, id, read(state), associations);
        }
        List<ScheduledDeadlineInfo> scheduledAfter = List.copyOf(deadlines.getScheduledDeadlines());
        for (ScheduledDeadlineInfo deadline : scheduledAfter) {
            if (scheduledBefore.stream().noneMatch(d -> d.getScheduleId().equals(deadline.getScheduleId()))) {
                deadlines.cancelSchedule(deadline.getDeadlineName(), deadline.getScheduleId());
            }
        }
        for (ScheduledDeadlineInfo deadline : scheduledBefore) {
            if (scheduledAfter.stream().noneMatch(d -> d.getScheduleId().equals(deadline.getScheduleId()))) {
                deadlines.schedule(deadline.getScheduleTime(), deadline.getDeadlineName(), deadline.deadlineMessage(),
                        deadline.getDeadlineScope());
            }
        }
        given = given.andThenAPublished(event);
    }

    /** Moves the clock to the next deadline, which fires; {@code false} when none is set. */
    public boolean advanceToNextDeadline() {
        Optional<Instant> next = deadlines.getScheduledDeadlines().stream()
                .map(ScheduledDeadlineInfo::getScheduleTime).min(Instant::compareTo);
        if (next.isEmpty()) {
            return false;
        }
        try {
            given = given.andThenTimeAdvancesTo(next.get());
        } catch (Exception e) {
            throw new AssertionError("A deadline failed", e);
        }
        return true;
    }

    public boolean hasDeadlines() {
        return !deadlines.getScheduledDeadlines().isEmpty();
    }

    /** Whether the saga of {@code key} is still active. */
    public boolean active(AssociationValue key) {
        return !store.findSagas(sagaType, key).isEmpty();
    }

    /** The workflow as the saga last published it. */
    public Optional<WorkflowUpdatedEvent> workflow() {
        synchronized (published) {
            return published.isEmpty() ? Optional.empty() : Optional.of(published.get(published.size() - 1));
        }
    }

    private String write(Object saga) {
        try {
            return JSON.writeValueAsString(saga);
        } catch (Exception e) {
            throw new AssertionError("The saga's state cannot be stored as JSON", e);
        }
    }

    private T read(String state) {
        try {
            return JSON.readValue(state, sagaType);
        } catch (Exception e) {
            throw new AssertionError("The saga's state cannot be read back from JSON: " + state, e);
        }
    }

    private Object internal(String name) {
        try {
            Field field = SagaTestFixture.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(fixture);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Axon's saga fixture has no field " + name, e);
        }
    }
}
