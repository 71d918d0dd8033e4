package org.orderly.command.order;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.order.CancelOrderCommand;
import org.orderly.api.order.OrderId;
import org.orderly.config.security.Actors;
import org.orderly.config.web.ETags;
import org.orderly.config.web.FreeText;
import org.orderly.config.web.Problems;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Order commands over HTTP. Placing answers 202: fulfilment goes on asynchronously. */
@RestController
@RequestMapping("/api/orders")
@EnableConfigurationProperties(OrderProperties.class)
class OrderCommandController {

    private final CommandGateway commands;
    private final OrderPlacement placement;

    OrderCommandController(CommandGateway commands, OrderPlacement placement) {
        this.commands = commands;
        this.placement = placement;
    }

    record LineRequest(@NotNull UUID productId, @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }

    /** @param customerId the customer ordering; a customer may leave it out (it is then themselves) */
    record PlaceOrderRequest(UUID customerId,
                             @NotEmpty @Size(max = Order.MAX_LINES) List<@Valid @NotNull LineRequest> lines) {
    }

    record CancelOrderRequest(@FreeText @Size(max = 500) String reason) {
    }

    record OrderAccepted(String orderId) {
    }

    @PostMapping
    ResponseEntity<OrderAccepted> place(@Valid @RequestBody PlaceOrderRequest request) {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (!seen.add(request.lines().get(i).productId())) {
                throw Problems.badRequest("lines[" + i + "].productId", "appears on more than one line");
            }
        }
        Actor actor = Actors.current();
        UUID customerId = request.customerId() != null ? request.customerId()
                : actor != null && actor.has(Actor.Role.CUSTOMER) ? actor.customerId() : null;
        if (customerId == null) {
            throw Problems.badRequest("customerId", "must be given");
        }
        if (actor != null && !actor.mayAccess(customerId)) {
            // checked again by the order itself; here it keeps the reference lookup from telling whether
            // another customer exists
            throw Problems.notFound("Customer " + customerId);
        }
        OrderId orderId = OrderId.newId();
        commands.sendAndWait(placement.prepare(orderId, new CustomerId(customerId),
                request.lines().stream()
                        .map(l -> new OrderPlacement.RequestedLine(new ProductId(l.productId()), l.quantity()))
                        .toList()));
        return ResponseEntity.accepted()
                .location(URI.create("/api/orders/" + orderId))
                .body(new OrderAccepted(orderId.toString()));
    }

    @PostMapping("/{orderId}/cancellation")
    ResponseEntity<Void> cancel(@PathVariable UUID orderId,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @Valid @RequestBody(required = false) CancelOrderRequest request) {
        commands.sendAndWait(new CancelOrderCommand(new OrderId(orderId),
                request == null ? null : request.reason(), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.accepted().build();
    }
}
