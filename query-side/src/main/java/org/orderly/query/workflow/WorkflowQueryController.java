package org.orderly.query.workflow;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

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
import org.orderly.config.web.Problems;
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

    record WorkflowListResponse(List<WorkflowResponse> items, String nextCursor) {
    }

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
    @GetMapping
    WorkflowListResponse list(@RequestParam(required = false) WorkflowStatus status,
                              @RequestParam(required = false) String type,
                              @RequestParam(required = false) String businessId,
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
