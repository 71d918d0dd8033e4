package org.orderly.config.privacy;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.Optional;
import java.util.regex.Pattern;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.Decisions;
import org.axonframework.messaging.deadletter.EnqueuePolicy;
import org.axonframework.messaging.deadletter.ThrowableCause;
import org.orderly.api.common.DataSubject;
import org.orderly.api.common.PersonalData;

/**
 * The cause a dead letter is stored with holds no readable personal data. A handler's exception text easily
 * carries some: PostgreSQL's "Failing row contains (…)" and "Key (email)=(…)", or a message that names the
 * value it choked on. So the cause keeps the exception's class as it is, and its message is sealed under the
 * event's {@link DataSubject} like the event's own personal data (the operator's dead-letter view opens it, and
 * after the subject's erasure it reads as {@link PersonalData#ERASED}); for an event without a subject, which
 * carries no personal data, the message is kept with anything that looks like an email address removed.
 */
public final class DeadLetterCauses {

    /** Room for the sealed text in Axon's cause column (1023 characters), which sealing makes a third longer. */
    static final int MAX_MESSAGE = 600;
    private static final Pattern EMAIL = Pattern.compile("[^\\s@()<>\",;:'\\[\\]]+@[^\\s@()<>\",;:'\\[\\]]+");
    static final String REMOVED = "[personal data removed]";

    private final PersonalDataCipher cipher;

    public DeadLetterCauses(PersonalDataCipher cipher) {
        this.cipher = cipher;
    }

    /** Axon's default policy (every failure is enqueued), with the cause made safe to store. */
    public EnqueuePolicy<EventMessage<?>> policy() {
        return (letter, cause) -> Decisions.enqueue(storable(letter.message(), cause));
    }

    /** The cause as it may be stored: the class, and the message sealed or cleaned. */
    public Throwable storable(EventMessage<?> message, Throwable cause) {
        if (cause == null) {
            return null;
        }
        String type = cause instanceof ThrowableCause known ? known.type() : cause.getClass().getName();
        String text = cause instanceof ThrowableCause known ? known.message() : cause.getMessage();
        if (text == null || PersonalDataCipher.isSealed(text)) {
            return new ThrowableCause(type, text);
        }
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE);
        }
        Object payload;
        try {
            payload = message.getPayload();
        } catch (RuntimeException unreadable) {
            // whose data the message is cannot be told: nothing of the text is kept
            return new ThrowableCause(type, REMOVED);
        }
        Optional<String> subject = subjectOf(payload);
        if (subject.isEmpty()) {
            return new ThrowableCause(type, EMAIL.matcher(text).replaceAll(REMOVED));
        }
        try {
            return new ThrowableCause(type, cipher.seal(subject.get(), text));
        } catch (SubjectErasedException erased) {
            return new ThrowableCause(type, PersonalData.ERASED);
        }
    }

    /** A stored cause message as an operator reads it: opened, or the placeholder once its subject is erased. */
    public String readable(String stored) {
        if (!PersonalDataCipher.isSealed(stored)) {
            return stored;
        }
        try {
            return cipher.openText(stored).orElse(PersonalData.ERASED);
        } catch (RuntimeException unreadable) {
            return PersonalData.ERASED;
        }
    }

    /** The value of the payload's {@link DataSubject} component or field, as its key is named. */
    static Optional<String> subjectOf(Object payload) {
        if (payload == null) {
            return Optional.empty();
        }
        Class<?> type = payload.getClass();
        try {
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    if (component.isAnnotationPresent(DataSubject.class)) {
                        Object value = component.getAccessor().invoke(payload);
                        return Optional.ofNullable(value).map(Object::toString);
                    }
                }
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.isAnnotationPresent(DataSubject.class)) {
                        field.setAccessible(true);
                        return Optional.ofNullable(field.get(payload)).map(Object::toString);
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
