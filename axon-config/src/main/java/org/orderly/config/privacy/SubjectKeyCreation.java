package org.orderly.config.privacy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.axonframework.eventhandling.EventMessage;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;
import org.orderly.config.eventstore.AppendingEventsListener;

/**
 * Creates the data keys of every new subject of an append at once, before its events are sealed: a group commit
 * appends the events of many registrations together, and without this each new customer's key would be stored by
 * a statement and a commit (a write-ahead-log flush) of its own while the batch waits. The subjects are found as
 * {@link PersonalDataModule} finds them, from the {@link DataSubject} of a record with {@link PersonalData}; what
 * this misses (personal data nested deeper) is still keyed as it is sealed, one subject at a time.
 */
final class SubjectKeyCreation implements AppendingEventsListener {

    private static final ClassValue<Optional<Method>> SUBJECT_ACCESSOR = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
            if (!type.isRecord()) {
                return Optional.empty();
            }
            Method subject = null;
            boolean personal = false;
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.isAnnotationPresent(DataSubject.class)) {
                    subject = component.getAccessor();
                }
                personal |= component.isAnnotationPresent(PersonalData.class);
            }
            return personal ? Optional.ofNullable(subject) : Optional.empty();
        }
    };

    private final SubjectKeys keys;

    SubjectKeyCreation(SubjectKeys keys) {
        this.keys = keys;
    }

    @Override
    public void appending(List<? extends EventMessage<?>> events) {
        if (events.size() < 2) {
            return;
        }
        Set<String> subjects = new LinkedHashSet<>();
        for (EventMessage<?> event : events) {
            subjectOf(event.getPayload()).ifPresent(subjects::add);
        }
        if (subjects.size() > 1) {
            keys.prepareForWriting(subjects);
        }
    }

    /** The subject whose key seals the payload's personal data, if it is a record that has some. */
    static Optional<String> subjectOf(Object payload) {
        if (payload == null) {
            return Optional.empty();
        }
        return SUBJECT_ACCESSOR.get(payload.getClass()).map(accessor -> {
            try {
                Object subject = accessor.invoke(payload);
                return subject == null ? null : subject.toString();
            } catch (IllegalAccessException | InvocationTargetException e) {
                return null; // not readable here: keyed as it is sealed
            }
        });
    }
}
