package org.orderly.config.web;

import java.util.List;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error answer, as the API document describes it: RFC 9457 problem details, sent as
 * {@code application/problem+json}. The answers themselves are Spring's {@link org.springframework.http.ProblemDetail}
 * built by {@link Problems} (or written the same way by the filters and the security entry points); this record
 * only names their fields, so that every operation's error answers refer to one schema.
 */
@Schema(name = "Problem", description = "An error, as RFC 9457 problem details (application/problem+json). "
        + "The status is the one a client can act on; errors[] names each field, parameter or header at fault.")
public record ProblemJson(
        @Schema(description = "Always about:blank: the status and title say what kind of problem it is",
                example = "about:blank", requiredMode = Schema.RequiredMode.REQUIRED) String type,
        @Schema(description = "The status's reason phrase", example = "Bad Request",
                requiredMode = Schema.RequiredMode.REQUIRED) String title,
        @Schema(description = "The HTTP status, repeated", example = "400",
                requiredMode = Schema.RequiredMode.REQUIRED) int status,
        @Schema(description = "What went wrong, for a person to read", example = "lines[0].quantity must be greater than or equal to 1",
                requiredMode = Schema.RequiredMode.REQUIRED) String detail,
        @Schema(description = "The request's path; absent when the refusal came before the request reached an "
                + "operation (authentication, rate limit, idempotency)", example = "/api/orders") String instance,
        @ArraySchema(arraySchema = @Schema(description = "Each field, parameter or header at fault; absent when no "
                + "single one is")) List<Problems.FieldError> errors) {
}
