package org.orderly.config.retention;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Retention for operators: what each kind keeps, what the runs removed, and a run on demand. */
@RestController
@Tag(name = "Operations")
@RequestMapping("/api/ops/retention")
public class RetentionOpsController {

    private final Retention retention;

    public RetentionOpsController(Retention retention) {
        this.retention = retention;
    }

    @Operation(operationId = "getRetention", summary = "Read retention's state",
            description = """
                    Each kind of data that expires on this node: how long it is kept, when it was last removed, how \
                    many rows the last run and all runs since the node started removed, and the last run's error \
                    if it failed; and when the next run starts.""")
    @ApiResponse(responseCode = "200", description = "Retention on this node")
    @GetMapping
    Retention.Status status() {
        return retention.status();
    }

    @Operation(operationId = "startRetentionRun", summary = "Run retention now",
            description = """
                    Starts a run of every kind at once, or queues one behind the run in progress. The answer names \
                    the run; it has ended once lastFinishedRun at the Location reaches it.""")
    @ApiResponse(responseCode = "202", description = "Started or queued; Location is retention's state",
            headers = @Header(name = "Location", description = "Retention's state: /api/ops/retention",
                    schema = @Schema(type = "string")))
    @PostMapping("/runs")
    ResponseEntity<RunStarted> run() {
        long run = retention.start();
        return ResponseEntity.accepted().location(URI.create("/api/ops/retention")).body(new RunStarted(run));
    }

    /** The run that answers an ask. */
    @Schema(description = "The run that answers the ask")
    public record RunStarted(@Schema(description = "Its number on this node; ended once lastFinishedRun reaches it",
            example = "3") long run) {
    }
}
