package org.orderly.config.audit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller method that reads or changes customers' personal data: each call by anyone other than the
 * customer concerned is recorded in the {@link DataAccessAudit} once its response status is known, one entry per
 * customer, by {@link AuditedPersonalDataInterceptor}.
 * <p>
 * The customer is found by {@link #subject()}: a path variable of that name, else a request parameter of that name
 * that the method declares ({@code @RequestParam}), else the component of that name of the response body (a record),
 * else that component of each element of the body's {@code items} (a page). A call whose customer cannot be told (a
 * 404 for an order that does not exist) records nothing: no customer's data was reached.
 * <p>
 * For example, an export: {@code @AuditedPersonalData(subject = "customerId", operation = "export")} on
 * {@code GET /api/customers/{customerId}/export}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AuditedPersonalData {

    /** Where the customer's id is: a path variable, request parameter or response component of this name. */
    String subject() default "customerId";

    /** What is recorded as the operation; empty for the request's method and path pattern. */
    String operation() default "";
}
