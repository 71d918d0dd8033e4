package org.orderly.command.workflow;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.workflow.RetryWorkflowCommand;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.config.web.ETags;
import org.orderly.config.web.ProblemJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' commands on sagas. A retry answers 202: the saga takes it up asynchronously, and
 * {@code GET /api/workflows/{id}} shows how it goes. {@code If-Match} takes the workflow's ETag (its revision).
 */
@RestController
@Tag(name = "Workflows", description = "Sagas (order fulfilment, returns): their steps and deadlines, for staff and operators")
@RequestMapping("/api/workflows")
class WorkflowCommandController {

    private final CommandGateway commands;

    WorkflowCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    @Operation(operationId = "retryWorkflow", summary = "Retry a failed workflow",
            description = """
                    An operator asks a FAILED or COMPENSATION_FAILED saga to take up its failed step again. The saga \
                    does so asynchronously; GET /api/workflows/{workflowId} shows how it goes. If-Match takes the \
                    workflow's ETag (its revision), so that a retry is not sent for a state the operator did not see.""")
    @ApiResponse(responseCode = "202", description = "Asked; the saga retries asynchronously")
    @ApiResponse(responseCode = "404", description = "No such workflow",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Workflow 1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74 does not exist",
                         "instance": "/api/workflows/1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74/retry"}""")))
    @ApiResponse(responseCode = "409", description = "The workflow has not failed, or changed since the If-Match revision",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "notFailed", summary = "A workflow still running", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Workflow 1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74 is RUNNING; only a COMPENSATION_FAILED or FAILED workflow can be retried",
                             "instance": "/api/workflows/1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74/retry",
                             "errors": [{"field": "status", "reason": "Workflow 1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74 is RUNNING; only a COMPENSATION_FAILED or FAILED workflow can be retried"}]}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older revision", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The workflow changed since you read it: it is at revision 2, you expected 1",
                             "instance": "/api/workflows/1b6f0d3e-94a2-4c7b-8e51-6a2d9f0c3b74/retry",
                             "errors": [{"field": "If-Match", "reason": "The workflow changed since you read it: it is at revision 2, you expected 1"}]}""")}))
    @PostMapping("/{workflowId}/retry")
    ResponseEntity<Void> retry(@PathVariable UUID workflowId,
                               @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new RetryWorkflowCommand(new WorkflowId(workflowId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.accepted().build();
    }
}
