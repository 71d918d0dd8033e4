package org.orderly.config.web;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problem details, built the same way by every endpoint. */
public final class Problems {

    private Problems() {
    }

    /** A problem naming the offending fields, as {@code errors: [{field, reason}]}. */
    public static ProblemDetail of(HttpStatusCode status, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors.stream()
                    .map(e -> Map.of("field", e.field(), "reason", e.reason()))
                    .toList());
        }
        return problem;
    }

    public static ErrorResponseException notFound(String what) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, what + " does not exist"), null);
    }

    public static ErrorResponseException badRequest(String field, String reason) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                of(HttpStatus.BAD_REQUEST, field + ": " + reason, List.of(new FieldError(field, reason))), null);
    }

    /**
     * One field at fault: a JSON path into the body ({@code lines[0].productId}), a parameter or a header
     * ({@code If-Match}), and why.
     */
    @Schema(description = "A field, parameter or header at fault, and why")
    public record FieldError(
            @Schema(description = "A path into the JSON body (lines[0].productId), or a parameter's or header's name",
                    example = "lines[0].quantity") String field,
            @Schema(description = "Why it is refused", example = "must be greater than or equal to 1") String reason) {
    }
}
