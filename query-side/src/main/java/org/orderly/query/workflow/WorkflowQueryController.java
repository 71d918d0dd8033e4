package org.orderly.query.workflow;

import java.time.Instant;
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
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.workflow.FindWorkflowQuery;
import org.orderly.api.workflow.FindWorkflowsQuery;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowPage;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowView;
import org.orderly.config.web.ETags;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.ReadsFrom;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What each saga is doing, for operators: answered from the workflows read model. The ETag is the saga's
 * revision, which a retry may send back as {@code If-Match}.
 */
@RestController
@Tag(name = "Workflows")
@ReadsFrom(WorkflowProjection.PROCESSING_GROUP)
@RequestMapping("/api/workflows")
class WorkflowQueryController {

    private static final int MAX_FILTER = 64;

    private final QueryGateway queries;

    WorkflowQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record StepResponse(String name, String status, Instant startedAt, Instant endedAt, String error) {
        static StepResponse of(WorkflowStep step) {
            return new StepResponse(step.name(), step.status(), step.startedAt(), step.endedAt(), step.error());
        }
    }

    record WorkflowResponse(String workflowId, String type, String businessId, String status, String currentStep,
                            Instant deadline, List<StepResponse> steps) {
        static WorkflowResponse of(WorkflowView view) {
            return new WorkflowResponse(view.workflowId().toString(), view.type(), view.businessId(),
                    view.status().name(), view.currentStep(), view.deadline(),
                    view.steps().stream().map(StepResponse::of).toList());
        }
    }

    record WorkflowListResponse(List<WorkflowResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "getWorkflow", summary = "Read a workflow",
            description = """
                    A saga's steps, each with its status, times and error, its current step and deadline. The \
                    ETag is its revision, for If-Match on a retry. Answered from the workflows read model, which \
                    follows the sagas asynchronously.""")
    @ApiResponse(responseCode = "200", description = "The workflow",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such workflow",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Workflow 1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74 does not exist",
                         "instance": "/api/workflows/1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74"}""")))
    @GetMapping("/{workflowId}")
    ResponseEntity<WorkflowResponse> get(@PathVariable UUID workflowId) {
        WorkflowView view = queries.query(new FindWorkflowQuery(new WorkflowId(workflowId)),
                ResponseTypes.instanceOf(WorkflowView.class)).join();
        if (view == null) {
            throw Problems.notFound("Workflow " + workflowId);
        }
        return ETags.ok(view.revision()).body(WorkflowResponse.of(view));
    }

    /** {@code stuck=true}: only sagas still running or compensating past their deadline. */
    @Operation(operationId = "listWorkflows", summary = "List workflows",
            description = """
                    By cursor, narrowed by status, type, business id (an order or return id), or to the stuck \
                    ones: running or compensating past their deadline.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @ApiResponse(responseCode = "400", description = "A filter is too long or status is no workflow status",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "filterTooLong", summary = "A type over 64 characters", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "type: must be at most 64 characters",
                             "instance": "/api/workflows",
                             "errors": [{"field": "type", "reason": "must be at most 64 characters"}]}"""),
                    @ExampleObject(name = "unknownStatus", summary = "A status that does not exist", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "status must be a valid WorkflowStatus",
                             "instance": "/api/workflows",
                             "errors": [{"field": "status", "reason": "must be a valid WorkflowStatus"}]}""")}))
    @GetMapping
    WorkflowListResponse list(@Parameter(description = "Only workflows in this status")
                              @RequestParam(required = false) WorkflowStatus status,
                              @Parameter(description = "Only sagas of this type: order-fulfilment or product-return", example = "order-fulfilment")
                              @RequestParam(required = false) String type,
                              @Parameter(description = "Only the saga of this order or return")
                              @RequestParam(required = false) String businessId,
                              @Parameter(description = "true: only sagas running or compensating past their deadline")
                              @RequestParam(required = false) Boolean stuck,
                              @RequestParam(required = false) Integer limit,
                              @RequestParam(required = false) String cursor) {
        WorkflowId after = Pagination.decode(cursor, WorkflowId::of);
        WorkflowPage page = queries.query(new FindWorkflowsQuery(status, filter("type", type),
                        filter("businessId", businessId), Boolean.TRUE.equals(stuck), Pagination.limit(limit), after),
                ResponseTypes.instanceOf(WorkflowPage.class)).join();
        return new WorkflowListResponse(page.items().stream().map(WorkflowResponse::of).toList(),
                Pagination.encode(page.next()));
    }

    private static String filter(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_FILTER) {
            throw Problems.badRequest(name, "must be at most " + MAX_FILTER + " characters");
        }
        return value;
    }
}
