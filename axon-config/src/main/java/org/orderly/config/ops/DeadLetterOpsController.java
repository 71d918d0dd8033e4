package org.orderly.config.ops;

import java.security.Principal;
import java.util.List;

import org.orderly.config.web.Pagination;
import org.orderly.config.web.Problems;
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
@RequestMapping("/api/ops/dead-letters")
public class DeadLetterOpsController {

    private final DeadLetters deadLetters;

    public DeadLetterOpsController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    OpsViews.Page<OpsViews.DeadLetter> list(@RequestParam(required = false) String processor,
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

    @PostMapping("/{id}/retry")
    OpsViews.Retry retry(@PathVariable String id) {
        return deadLetters.retry(id);
    }

    @PostMapping("/retry-all")
    OpsViews.RetryAll retryAll(@RequestParam(required = false) String processor) {
        if (blankToNull(processor) == null) {
            throw Problems.badRequest("processor", "must name the processor whose dead letters to retry");
        }
        return deadLetters.retryAll(processor);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> evict(@PathVariable String id, Principal operator) {
        deadLetters.evict(id, operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.noContent().build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
