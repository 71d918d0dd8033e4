package org.orderly.config.ops;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Processor status, replays and rebuilds, for operators. */
@RestController
@Tag(name = "Operations", description = "Event processors, replays, rebuilds, stuck sagas and dead letters, for operators")
@RequestMapping("/api/ops")
public class ProcessorOpsController {

    private final ProcessorCatalog processors;
    private final Replays replays;
    private final Sagas sagas;
    private final Rebuilds rebuilds;

    public ProcessorOpsController(ProcessorCatalog processors, Replays replays, Sagas sagas, Rebuilds rebuilds) {
        this.processors = processors;
        this.replays = replays;
        this.sagas = sagas;
        this.rebuilds = rebuilds;
    }

    /** Every processor; a handful, so one page. */
    @Operation(operationId = "listProcessors", summary = "List the event processors",
            description = """
                    Every event processor of this node's application (projections and sagas): status, segments \
                    and who holds them, lag behind the event store's head, replay under way, dead letters, errors.""")
    @ApiResponse(responseCode = "200", description = "All of them, in one page")
    @GetMapping("/processors")
    OpsViews.Page<OpsViews.Processor> processors() {
        return new OpsViews.Page<>(processors.all(), null);
    }

    @Operation(operationId = "getProcessor", summary = "Read an event processor",
            description = """
                    One processor's status, segments, lag, replay and dead letters.""")
    @ApiResponse(responseCode = "200", description = "The processor")
    @ApiResponse(responseCode = "404", description = "No processor of that name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Processor customers does not exist",
                         "instance": "/api/ops/processors/customers"}""")))
    @GetMapping("/processors/{name}")
    OpsViews.Processor processor(@PathVariable String name) {
        return processors.find(name).orElseThrow(() -> Problems.notFound("Processor " + name));
    }

    @Operation(operationId = "replayProcessor", summary = "Replay a projection from the first event",
            description = """
                    Resets a projection processor's tokens (running its reset handler, which empties its read \
                    model) and lets it process every event again, on whichever nodes hold its segments. The read \
                    model is incomplete until the replay catches up; GET /api/ops/replays/{id} follows it. For no \
                    downtime, rebuild instead. Sagas are never replayed (they would act again).""")
    @ApiResponse(responseCode = "202", description = "Started; Location is the replay",
            headers = @Header(name = "Location", description = "The replay, to follow: /api/ops/replays/{id}",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No processor of that name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No event processor named customers",
                         "instance": "/api/ops/processors/customers/replay"}""")))
    @ApiResponse(responseCode = "409", description = "A replay or a rebuild of it is running already, or another "
                + "node holds its segments",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "replayRunning", summary = "A replay already running", value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "A replay of customers is already running: 6c1e8a4b-2d7f-4b93-a0c5-9e3f1b7d2a48",
                         "instance": "/api/ops/processors/customers/replay"}""")))
    @ApiResponse(responseCode = "422", description = "The processor cannot be replayed: a saga processor, or one "
                + "without a domain store or reset support",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "saga", summary = "A saga processor", value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "order-fulfilment is a saga processor; sagas are never replayed, they would act again",
                         "instance": "/api/ops/processors/order-fulfilment/replay"}""")))
    @PostMapping("/processors/{name}/replay")
    ResponseEntity<OpsViews.Replay> replay(@Parameter(description = "A projection processor", example = "customers")
                                           @PathVariable String name, @Parameter(hidden = true) Principal operator) {
        OpsViews.Replay replay = replays.start(name, operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.accepted().location(URI.create("/api/ops/replays/" + replay.replayId())).body(replay);
    }

    @Operation(operationId = "getReplay", summary = "Follow a replay",
            description = """
                    Its position against the target, percent done, estimated seconds left, and outcome.""")
    @ApiResponse(responseCode = "200", description = "The replay")
    @ApiResponse(responseCode = "404", description = "No replay with this id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Replay 6c1e8a4b-2d7f-4b93-a0c5-9e3f1b7d2a48 does not exist",
                         "instance": "/api/ops/replays/6c1e8a4b-2d7f-4b93-a0c5-9e3f1b7d2a48"}""")))
    @GetMapping("/replays/{id}")
    OpsViews.Replay replayOf(@PathVariable UUID id) {
        return replays.find(id).orElseThrow(() -> Problems.notFound("Replay " + id));
    }

    /** The most recent replays first, running or ended. */
    @Operation(operationId = "listReplays", summary = "List recent replays",
            description = """
                    The most recent replays first, running or ended, up to limit.""")
    @ApiResponse(responseCode = "200", description = "One page, most recent first")
    @GetMapping("/replays")
    OpsViews.Page<OpsViews.Replay> recentReplays(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(replays.recent(org.orderly.config.web.Pagination.limit(limit)), null);
    }

    /**
     * Rebuilds the whole read schema of the domain {@code name} belongs to, without downtime: every projection
     * processor of that domain is rebuilt into a shadow schema, which is swapped in once it has caught up.
     */
    @Operation(operationId = "rebuildDomain", summary = "Rebuild a domain's read models without downtime",
            description = """
                    Rebuilds every projection of the domain the processor belongs to into a shadow schema, while \
                    the live read models keep answering; once the shadow has caught up it is swapped in. \
                    GET /api/ops/rebuilds/{id} follows it. Refused for saga processors and for domains whose schema \
                    holds saga state.""")
    @ApiResponse(responseCode = "202", description = "Started; Location is the rebuild",
            headers = @Header(name = "Location", description = "The rebuild, to follow: /api/ops/rebuilds/{id}",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No processor of that name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No event processor named customers",
                         "instance": "/api/ops/processors/customers/rebuild"}""")))
    @ApiResponse(responseCode = "409", description = "A rebuild of the domain or a replay of one of its processors "
                + "is running already, or another node holds their segments",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "rebuildRunning", summary = "A rebuild already running", value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "A rebuild of customer is already running: 8f4a2c6e-1b9d-4e70-b3a8-5c7e0d2f9b16",
                         "instance": "/api/ops/processors/customers/rebuild"}""")))
    @ApiResponse(responseCode = "422", description = "The domain cannot be rebuilt: a saga processor, saga state in "
                + "its schema, or no shadow schema",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "saga", summary = "A saga processor", value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "order-fulfilment is a saga processor; saga state is no read model and is never rebuilt, the sagas would act again",
                         "instance": "/api/ops/processors/order-fulfilment/rebuild"}""")))
    @PostMapping("/processors/{name}/rebuild")
    ResponseEntity<OpsViews.Rebuild> rebuild(@Parameter(description = "A projection processor of the domain to rebuild", example = "customers")
                                             @PathVariable String name, @Parameter(hidden = true) Principal operator) {
        OpsViews.Rebuild rebuild = rebuilds.start(name, operator == null ? "anonymous" : operator.getName());
        return ResponseEntity.accepted().location(URI.create("/api/ops/rebuilds/" + rebuild.rebuildId())).body(rebuild);
    }

    @Operation(operationId = "getRebuild", summary = "Follow a rebuild",
            description = """
                    Its phase, position against the target, percent done, estimated seconds left, and outcome.""")
    @ApiResponse(responseCode = "200", description = "The rebuild")
    @ApiResponse(responseCode = "404", description = "No rebuild with this id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Rebuild 8f4a2c6e-1b9d-4e70-b3a8-5c7e0d2f9b16 does not exist",
                         "instance": "/api/ops/rebuilds/8f4a2c6e-1b9d-4e70-b3a8-5c7e0d2f9b16"}""")))
    @GetMapping("/rebuilds/{id}")
    OpsViews.Rebuild rebuildOf(@PathVariable UUID id) {
        return rebuilds.find(id).orElseThrow(() -> Problems.notFound("Rebuild " + id));
    }

    /** The most recent rebuilds first, running or ended. */
    @Operation(operationId = "listRebuilds", summary = "List recent rebuilds",
            description = """
                    The most recent rebuilds first, running or ended, up to limit.""")
    @ApiResponse(responseCode = "200", description = "One page, most recent first")
    @GetMapping("/rebuilds")
    OpsViews.Page<OpsViews.Rebuild> recentRebuilds(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(rebuilds.recent(org.orderly.config.web.Pagination.limit(limit)), null);
    }

    /** Saga processors in an error state: their segments stop, so every saga in them waits. */
    @Operation(operationId = "listFailingSagaProcessors", summary = "List saga processors in error",
            description = """
                    Saga processors in an error state: their segments stop, so every saga in them waits until the \
                    error is resolved.""")
    @ApiResponse(responseCode = "200", description = "All of them, in one page")
    @GetMapping("/sagas/failing-processors")
    OpsViews.Page<OpsViews.Processor> failingSagaProcessors() {
        return new OpsViews.Page<>(sagas.failingProcessors(), null);
    }

    /** Sagas running or compensating past their deadline: their deadline did not fire, or its handler keeps failing. */
    @Operation(operationId = "listSagasPastDeadline", summary = "List sagas past their deadline",
            description = """
                    Sagas still running or compensating past their deadline: the deadline did not fire, or its \
                    handler keeps failing. Up to limit.""")
    @ApiResponse(responseCode = "200", description = "One page")
    @GetMapping("/sagas/past-deadline")
    OpsViews.Page<org.orderly.api.workflow.WorkflowView> sagasPastDeadline(@RequestParam(required = false) Integer limit) {
        return new OpsViews.Page<>(sagas.pastDeadline(org.orderly.config.web.Pagination.limit(limit)), null);
    }
}
