package org.orderly.config.audit;

import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;

import org.orderly.api.common.DataSubject;

/** The customer a message's personal data belongs to: its {@link DataSubject} component. */
public final class DataSubjects {

    private static final ClassValue<Accessor> ACCESSORS = new ClassValue<>() {
        @Override
        protected Accessor computeValue(Class<?> type) {
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    if (component.isAnnotationPresent(DataSubject.class)) {
                        component.getAccessor().trySetAccessible();
                        return value -> component.getAccessor().invoke(value);
                    }
                }
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.isAnnotationPresent(DataSubject.class)) {
                        field.trySetAccessible();
                        return field::get;
                    }
                }
            }
            return value -> null;
        }
    };

    private DataSubjects() {
    }

    /** The subject id {@code message} names, or {@code null} when it names none. */
    public static String of(Object message) {
        if (message == null) {
            return null;
        }
        try {
            Object subject = ACCESSORS.get(message.getClass()).get(message);
            return subject == null ? null : subject.toString();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read the data subject of " + message.getClass().getName(), e);
        }
    }

    private interface Accessor {
        Object get(Object value) throws ReflectiveOperationException;
    }
}
