package org.orderly.command.shipping;

import java.util.UUID;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.shipping.DispatchShipmentCommand;
import org.orderly.api.shipping.MarkShipmentDeliveredCommand;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.config.web.ETags;
import org.springframework.http.HttpHeaders;
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
@RequestMapping("/api/shipments")
class ShipmentCommandController {

    private final CommandGateway commands;

    ShipmentCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    @PostMapping("/{shipmentId}/dispatch")
    ResponseEntity<Void> dispatch(@PathVariable UUID shipmentId,
                                  @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new DispatchShipmentCommand(new ShipmentId(shipmentId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{shipmentId}/delivery")
    ResponseEntity<Void> deliver(@PathVariable UUID shipmentId,
                                 @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new MarkShipmentDeliveredCommand(new ShipmentId(shipmentId),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }
}
