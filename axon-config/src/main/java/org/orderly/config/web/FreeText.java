package org.orderly.config.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.fasterxml.jackson.annotation.JacksonAnnotation;

/**
 * A request field that holds free text written by a person (a cancellation reason, a note): tab, line feed
 * and carriage return are allowed in it. Every other text field (names, emails, SKUs, ids, codes) refuses
 * every control character; see {@link StrictJson}.
 */
@Documented
@JacksonAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface FreeText {
}
