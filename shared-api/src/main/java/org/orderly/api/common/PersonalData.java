package org.orderly.api.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a stored message (an event, a snapshot, saga state) as personal data of the message's
 * {@link DataSubject}. Stored, it is encrypted with that subject's own key; erasing the subject deletes the key,
 * and from then on every reader gets {@link #ERASED} in its place (text), or {@code null} (anything else).
 * Components that are not personal stay readable, so a projection of non-personal data never needs a key.
 * <p>
 * Annotate every field a person could be identified by or typed themselves: emails, names, addresses, free
 * text such as a cancellation or return reason.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface PersonalData {

    /** What a personal text reads as once its subject is erased. */
    String ERASED = "[erased]";
}
