package org.orderly.config.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The data-access audit log, for operators. */
@RestController
@Tag(name = "Operations")
@RequestMapping("/api/audit")
public class AuditController {

    private final DataAccessAudit audit;

    public AuditController(DataAccessAudit audit) {
        this.audit = audit;
    }

    record EntryResponse(
            @Schema(description = "Its place in the log; larger is later") long id,
            Instant at,
            @Schema(description = "Who: the caller's opaque subject id (a customer's customer id), never an email")
            String actor,
            @Schema(description = "The caller's roles, comma-separated", example = "STAFF") String actorRoles,
            @Schema(description = "Whose data: the customer's id", format = "uuid") String subjectId,
            @Schema(example = "GET /api/customers/{customerId}") String operation,
            @Schema(description = "How it ended: the HTTP status answered", example = "200") String outcome) {
        static EntryResponse of(AuditEntry entry) {
            return new EntryResponse(entry.id(), entry.at(), entry.actorSubject(), entry.actorRoles(),
                    entry.subjectId(), entry.operation(), entry.outcome());
        }
    }

    record AuditPage(List<EntryResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "listAuditEntries", summary = "List data-access audit entries",
            description = """
                    Who read or changed which customer's personal data, when, how and with what outcome: one entry \
                    per access and customer, for every access by anyone but the customer themself. Newest first, \
                    by cursor; narrowed by customer, actor and time. Entries recorded on the answering node a \
                    moment ago are written before it answers.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @ApiResponse(responseCode = "400", description = "A parameter is malformed: it is named",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "from: must be an instant such as 2026-01-01T00:00:00Z",
                         "instance": "/api/audit",
                         "errors": [{"field": "from", "reason": "must be an instant such as 2026-01-01T00:00:00Z"}]}""")))
    @GetMapping
    AuditPage list(@Parameter(description = "Only accesses to this customer's data")
                   @RequestParam(required = false) UUID subjectId,
                   @Parameter(description = "Only accesses by this actor (their subject id)", example = "staff")
                   @RequestParam(required = false) String actor,
                   @Parameter(description = "Only accesses at or after this instant (ISO-8601)",
                           schema = @Schema(type = "string", format = "date-time"))
                   @RequestParam(required = false) String from,
                   @Parameter(description = "Only accesses before this instant (ISO-8601)",
                           schema = @Schema(type = "string", format = "date-time"))
                   @RequestParam(required = false) String to,
                   @RequestParam(required = false) Integer limit,
                   @RequestParam(required = false) String cursor) {
        int size = Pagination.limit(limit);
        Long before = Pagination.decode(cursor, Long::valueOf);
        if (before != null && before < 1) {
            throw Problems.badRequest("cursor", "is not a cursor this API issued");
        }
        Instant since = instant("from", from);
        Instant until = instant("to", to);
        if (since != null && until != null && !since.isBefore(until)) {
            throw Problems.badRequest("to", "must be later than from");
        }
        String actorSubject = actor == null || actor.isBlank() ? null : actor.strip();
        // One entry more than asked tells whether a next page exists.
        List<AuditEntry> entries = audit.entries(subjectId == null ? null : subjectId.toString(), actorSubject,
                since, until, before, size + 1);
        if (entries.size() <= size) {
            return new AuditPage(entries.stream().map(EntryResponse::of).toList(), null);
        }
        List<AuditEntry> page = entries.subList(0, size);
        return new AuditPage(page.stream().map(EntryResponse::of).toList(),
                Pagination.encode(page.get(page.size() - 1).id()));
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw Problems.badRequest(name, "must be an instant such as 2026-01-01T00:00:00Z");
        }
    }
}
