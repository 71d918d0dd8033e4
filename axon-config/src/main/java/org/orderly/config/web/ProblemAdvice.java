package org.orderly.config.web;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.messaging.HandlerExecutionException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.config.command.CommandConflicts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.lang.NonNull;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json}: the status a client can act on, the field at fault,
 * and never a stack trace.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    static final String DATABASE_UNREACHABLE = "The service cannot reach its database; retry later";
    /** Seconds: a restarting or failing-over database is usually back within a few. */
    static final String DATABASE_RETRY_AFTER = "5";
    /** Seconds: a conflict lasts as long as the competing commands, usually milliseconds. */
    static final String CONFLICT_RETRY_AFTER = "1";

    @ExceptionHandler(RefusedException.class)
    ResponseEntity<ProblemDetail> refused(RefusedException e) {
        return respond(e.refusal());
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> commandFailed(CommandExecutionException e) {
        Optional<Refusal> refusal = refusalOf(e);
        if (refusal.isPresent()) {
            return respond(refusal.get());
        }
        if (CommandConflicts.isConflict(e)) {
            return conflict(e);
        }
        if (databaseUnreachable(e)) {
            return unavailable(e);
        }
        return ResponseEntity.internalServerError().body(unexpected(e));
    }

    /**
     * The database did not answer (no connection within {@code orderly.database.connection-timeout}, refused, or
     * lost): nothing the client did, and it may well work in a moment.
     */
    private static ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("The database does not answer: {}", e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, DATABASE_RETRY_AFTER)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_UNREACHABLE));
    }

    /**
     * Whether the failure, or one of its causes, is the database not answering: a pool's timeout, a connection that
     * could not be made or was lost (SQLSTATE class 08), or a server shutting down or starting (57P01-57P03).
     */
    static boolean databaseUnreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof CannotGetJdbcConnectionException || cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /** A refusal as a response; "unavailable" ones tell the client when to retry. */
    private static ResponseEntity<ProblemDetail> respond(Refusal refusal) {
        ProblemDetail problem = toProblem(refusal);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.getStatus());
        if (refusal.kind() == Refusal.Kind.UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, "1");
        }
        return response.body(problem);
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ProblemDetail notFound(AggregateNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No resource with id " + e.getAggregateIdentifier());
    }

    @ExceptionHandler(ConflictingAggregateVersionException.class)
    ProblemDetail versionConflict(ConflictingAggregateVersionException e) {
        return Problems.of(HttpStatus.CONFLICT, "The resource changed since you read it: it is at version "
                        + e.getActualVersion() + ", you expected " + e.getExpectedVersion(),
                List.of(new Problems.FieldError("If-Match", "does not match the current version")));
    }

    /**
     * A command that lost a conflict with other commands on the same resource after every retry
     * ({@code orderly.commands.conflict-retries}; {@link CommandConflicts}): it wrote nothing. One that only creates a
     * resource whose id exists will find it taken again; any other may well succeed when sent again, which
     * {@code Retry-After} says (and which keeps the answer out of the {@code Idempotency-Key} store, so that the retry
     * runs).
     */
    @ExceptionHandler({ConcurrencyException.class, AggregateStreamCreationException.class})
    ResponseEntity<ProblemDetail> conflict(Exception e) {
        if (CommandConflicts.isStreamCreation(e)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                    "A resource with this id exists already"));
        }
        return ResponseEntity.status(HttpStatus.CONFLICT).header(HttpHeaders.RETRY_AFTER, CONFLICT_RETRY_AFTER)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                        "The resource was being changed by other requests at the same time; retry"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "a valid value" : "a valid " + e.getRequiredType().getSimpleName();
        return Problems.of(HttpStatus.BAD_REQUEST, e.getName() + " must be " + expected,
                List.of(new Problems.FieldError(e.getName(), "must be " + expected)));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> failed(Exception e) {
        if (CommandConflicts.isConflict(e)) {
            return conflict(e);
        }
        return databaseUnreachable(e) ? unavailable(e) : ResponseEntity.internalServerError().body(unexpected(e));
    }

    private static ProblemDetail unexpected(Exception e) {
        log.error("Unexpected error", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(@NonNull MethodArgumentNotValidException e,
                                                                  @NonNull HttpHeaders headers,
                                                                  @NonNull HttpStatusCode status,
                                                                  @NonNull WebRequest request) {
        List<Problems.FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new Problems.FieldError(f.getField(), f.getDefaultMessage()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.reason()).reduce((a, b) -> a + "; " + b)
                .orElse("The request is invalid");
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, detail, errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(@NonNull HandlerMethodValidationException e,
                                                                            @NonNull HttpHeaders headers,
                                                                            @NonNull HttpStatusCode status,
                                                                            @NonNull WebRequest request) {
        List<Problems.FieldError> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(err -> new Problems.FieldError(
                        r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "The request is invalid", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(@NonNull HttpMessageNotReadableException e,
                                                                  @NonNull HttpHeaders headers,
                                                                  @NonNull HttpStatusCode status,
                                                                  @NonNull WebRequest request) {
        if (RequestInputFilter.causedByTooLargeBody(e)) {
            // A chunked body that passed orderly.web.max-body-size while Jackson read it.
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body(Problems.of(HttpStatus.PAYLOAD_TOO_LARGE,
                    "The request body is too large", List.of(new Problems.FieldError("body", "is too large"))));
        }
        ProblemDetail problem;
        if (e.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = fieldPath(mapping);
            String reason = mapping instanceof StrictJson.RefusedValueException refused ? refused.reason()
                    : mapping instanceof InvalidFormatException || mapping instanceof MismatchedInputException
                    ? "has the wrong type or format" : "cannot be read";
            problem = Problems.of(HttpStatus.BAD_REQUEST, field + " " + reason,
                    List.of(new Problems.FieldError(field, reason)));
        } else if (e.getCause() instanceof StreamReadException read && read.getOriginalMessage() != null
                && read.getOriginalMessage().startsWith("Duplicate field")
                && read.getProcessor() != null) {
            // STRICT_DUPLICATE_DETECTION: the parser stopped on the second occurrence, its context names it.
            String field = fieldPath(read.getProcessor().getParsingContext());
            problem = Problems.of(HttpStatus.BAD_REQUEST, field + " appears more than once",
                    List.of(new Problems.FieldError(field, "appears more than once")));
        } else {
            problem = Problems.of(HttpStatus.BAD_REQUEST, "The request body is missing or is not valid JSON",
                    List.of(new Problems.FieldError("body", "is missing or is not valid JSON")));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(@NonNull HttpMediaTypeNotSupportedException e,
                                                                     @NonNull HttpHeaders headers,
                                                                     @NonNull HttpStatusCode status,
                                                                     @NonNull WebRequest request) {
        // Bodies are JSON only (WebInputAutoConfiguration drops every other reader Jackson has).
        String reason = "must be application/json";
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The request body " + reason,
                List.of(new Problems.FieldError(HttpHeaders.CONTENT_TYPE, reason))));
    }

    /** Spring Security's firewall refusing a header or parameter that a handler reads (it checks those lazily). */
    @ExceptionHandler(RequestRejectedException.class)
    ProblemDetail rejected(RequestRejectedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request is malformed");
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A parser position as a field path: {@code lines[0].productId}. */
    static String fieldPath(JsonStreamContext context) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "body" : path;
    }

    private static Optional<Refusal> refusalOf(HandlerExecutionException e) {
        return e.getDetails().filter(Refusal.class::isInstance).map(Refusal.class::cast);
    }

    static ProblemDetail toProblem(Refusal refusal) {
        HttpStatus status = switch (refusal.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNPROCESSABLE -> HttpStatus.UNPROCESSABLE_ENTITY;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        List<Problems.FieldError> errors = refusal.field() == null ? List.of()
                : List.of(new Problems.FieldError(refusal.field(), refusal.message()));
        return Problems.of(status, refusal.message(), errors);
    }
}
