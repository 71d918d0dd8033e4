package org.orderly.command.shipping;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.shipping.DispatchShipmentCommand;
import org.orderly.api.shipping.MarkShipmentDeliveredCommand;
import org.orderly.api.shipping.ShipmentId;
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
 * Shipment commands over HTTP. Shipments are created by the order process, not by clients; a carrier
 * or warehouse reports dispatch and delivery here.
 */
@RestController
@Tag(name = "Shipments", description = "Parcels of confirmed orders: created by the order process, dispatched and delivered as carriers report")
@RequestMapping("/api/shipments")
class ShipmentCommandController {

    private final CommandGateway commands;

    ShipmentCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    @Operation(operationId = "dispatchShipment", summary = "Report a shipment dispatched",
            description = """
                    The carrier or warehouse reports the parcel has left: the order becomes SHIPPED (asynchronously) \
                    and can no longer be cancelled. Only a shipment waiting to be dispatched can be. If-Match \
                    (the shipment's ETag) makes it conditional on the version read.""")
    @ApiResponse(responseCode = "204", description = "Recorded")
    @ApiResponse(responseCode = "404", description = "No such shipment",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id 7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63",
                         "instance": "/api/shipments/7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63/dispatch"}""")))
    @ApiResponse(responseCode = "409", description = "The shipment is not CREATED, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "wrongStatus", summary = "A shipment in another state", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Shipment 7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63 cannot be dispatched: it is DISPATCHED, not CREATED",
                             "instance": "/api/shipments/7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63/dispatch"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/shipments/7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63/dispatch",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PostMapping("/{shipmentId}/dispatch")
    ResponseEntity<Void> dispatch(@PathVariable UUID shipmentId,
                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new DispatchShipmentCommand(new ShipmentId(shipmentId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "deliverShipment", summary = "Report a shipment delivered",
            description = """
                    The carrier reports the parcel delivered: the order becomes DELIVERED (asynchronously), and its \
                    goods can be returned from then on. Only a dispatched shipment can be. If-Match (the shipment's \
                    ETag) makes it conditional on the version read.""")
    @ApiResponse(responseCode = "204", description = "Recorded")
    @ApiResponse(responseCode = "404", description = "No such shipment",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id 7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63",
                         "instance": "/api/shipments/7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63/delivery"}""")))
    @ApiResponse(responseCode = "409", description = "The shipment is not DISPATCHED, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "wrongStatus", summary = "A shipment in another state", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Shipment 7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63 cannot be marked delivered: it is CREATED, not DISPATCHED",
                             "instance": "/api/shipments/7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63/delivery"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/shipments/7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63/delivery",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PostMapping("/{shipmentId}/delivery")
    ResponseEntity<Void> deliver(@PathVariable UUID shipmentId,
                                 @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new MarkShipmentDeliveredCommand(new ShipmentId(shipmentId),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }
}
