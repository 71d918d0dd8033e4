package org.orderly.config.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The processing groups whose read models a query endpoint answers from. A GET that sends back a command's
 * {@code Orderly-Position} waits until every one of them has passed that position ({@link ReadYourWrites}), so
 * the list must name every processor that writes what the endpoint reads. On a controller it holds for each of
 * its GET endpoints; on a method it replaces the controller's.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ReadsFrom {

    /** Processing group names, as their projections declare them. */
    String[] value();
}
