package org.orderly.config.ops;

import java.security.Principal;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.orderly.config.audit.AuditedPersonalData;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Dead letters of every projection processor, for operators. */
@RestController
@Tag(name = "Operations")
@RequestMapping("/api/ops/dead-letters")
public class DeadLetterOpsController {

    private final DeadLetters deadLetters;

    public DeadLetterOpsController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Operation(operationId = "listDeadLetters", summary = "List dead letters",
            description = """
                    Events a projection failed to handle, parked per sequence (an aggregate's later events wait \
                    behind its first failure), with the failure's type and message; of every processor or one.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @ApiResponse(responseCode = "404", description = "No processor with a dead-letter queue of that name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No processor with a dead-letter queue named nosuch",
                         "instance": "/api/ops/dead-letters"}""")))
    @GetMapping
    @AuditedPersonalData(subject = "subjectId", operation = "dead-letter inspection")
    OpsViews.Page<OpsViews.DeadLetter> list(@Parameter(description = "Only this processor's dead letters", example = "customers")
                                            @RequestParam(required = false) String processor,
                                            @RequestParam(required = false) Integer limit,
                                            @RequestParam(required = false) String cursor) {
        int size = Pagination.limit(limit);
        Integer offset = Pagination.decode(cursor, Integer::valueOf);
        int from = offset == null ? 0 : offset;
        if (from < 0) {
            throw Problems.badRequest("cursor", "is not a cursor this API issued");
        }
        // One letter more than asked tells whether a next page exists.
        List<OpsViews.DeadLetter> letters = deadLetters.list(blankToNull(processor), from, size + 1);
        if (letters.size() <= size) {
            return new OpsViews.Page<>(letters, null);
        }
        return new OpsViews.Page<>(List.copyOf(letters.subList(0, size)), Pagination.encode(from + size));
    }

    @Operation(operationId = "retryDeadLetter", summary = "Retry a dead letter's sequence",
            description = """
                    Hands the sequence the letter heads back to its processor: each letter is handled again in \
                    order until one fails again (it stays, and the rest behind it) or the sequence is drained.""")
    @ApiResponse(responseCode = "200", description = "What the retry did: drained, or how many letters remain")
    @ApiResponse(responseCode = "404", description = "No dead letter with this id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No dead letter with id 4e9b7d21-5a3c-4f86-9d0e-2b8c6a1f3e75",
                         "instance": "/api/ops/dead-letters/4e9b7d21-5a3c-4f86-9d0e-2b8c6a1f3e75/retry"}""")))
    @PostMapping("/{id}/retry")
    OpsViews.Retry retry(@PathVariable String id) {
        return deadLetters.retry(id);
    }

    @Operation(operationId = "retryAllDeadLetters", summary = "Retry every dead letter of a processor",
            description = """
                    Retries each of the processor's sequences in turn, as a retry of each would.""")
    @ApiResponse(responseCode = "200", description = "Sequences tried, drained and still failing")
    @ApiResponse(responseCode = "400", description = "No processor named",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "processor: must name the processor whose dead letters to retry",
                         "instance": "/api/ops/dead-letters/retry-all",
                         "errors": [{"field": "processor", "reason": "must name the processor whose dead letters to retry"}]}""")))
    @ApiResponse(responseCode = "404", description = "No processor with a dead-letter queue of that name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No processor with a dead-letter queue named nosuch",
                         "instance": "/api/ops/dead-letters/retry-all"}""")))
    @PostMapping("/retry-all")
    OpsViews.RetryAll retryAll(@Parameter(description = "The processor whose dead letters to retry", example = "customers")
                               @RequestParam(required = false) String processor) {
        if (blankToNull(processor) == null) {
            throw Problems.badRequest("processor", "must name the processor whose dead letters to retry");
        }
        return deadLetters.retryAll(processor);
    }

    @Operation(operationId = "evictDeadLetter", summary = "Evict a dead letter",
            description = """
                    Drops the letter for good: its event is never handled by that processor, and the next letter \
                    of its sequence (if any) heads it. Who evicted what is recorded (ops.dead_letter_eviction).""")
    @ApiResponse(responseCode = "204", description = "Evicted")
    @ApiResponse(responseCode = "404", description = "No dead letter with this id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No dead letter with id 4e9b7d21-5a3c-4f86-9d0e-2b8c6a1f3e75",
                         "instance": "/api/ops/dead-letters/4e9b7d21-5a3c-4f86-9d0e-2b8c6a1f3e75"}""")))
    @DeleteMapping("/{id}")
    ResponseEntity<Void> evict(@PathVariable String id, @Parameter(hidden = true) Principal operator) {
        deadLetters.evict(id, operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.noContent().build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
