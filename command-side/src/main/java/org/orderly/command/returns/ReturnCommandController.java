package org.orderly.command.returns;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.order.OrderId;
import org.orderly.api.returns.ConfirmReturnReceiptCommand;
import org.orderly.api.returns.FindReturnableOrderQuery;
import org.orderly.api.returns.RequestReturnCommand;
import org.orderly.api.returns.RequestedReturnLine;
import org.orderly.api.returns.ReturnId;
import org.orderly.api.returns.ReturnableOrder;
import org.orderly.config.web.ETags;
import org.orderly.config.web.FreeText;
import org.orderly.config.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Return commands over HTTP. A request is decided at once (approved or rejected, both 202: the decision is
 * the return's status); restock and refund follow asynchronously once the warehouse confirms receipt.
 */
@RestController
@RequestMapping("/api/returns")
class ReturnCommandController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    ReturnCommandController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record LineRequest(@NotNull UUID productId, @NotNull @Min(1) @Max(10_000) Integer quantity) {
    }

    record RequestReturnRequest(@NotNull UUID orderId,
                                @NotEmpty @Size(max = ProductReturn.MAX_LINES) List<@Valid @NotNull LineRequest> lines,
                                @FreeText @NotBlank @Size(max = ProductReturn.MAX_REASON) String reason) {
    }

    record ReturnAccepted(String returnId) {
    }

    @PostMapping
    ResponseEntity<ReturnAccepted> request(@Valid @RequestBody RequestReturnRequest request) {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (!seen.add(request.lines().get(i).productId())) {
                throw Problems.badRequest("lines[" + i + "].productId", "appears on more than one line");
            }
        }
        // The returns domain's own copy of the order, caught up with everything stored before this request.
        ReturnableOrder order = queries.query(new FindReturnableOrderQuery(new OrderId(request.orderId())),
                ResponseTypes.instanceOf(ReturnableOrder.class)).join();
        if (order == null || !order.upToDate()) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNAVAILABLE, null,
                    "The returns domain has not yet copied the latest changes to this order; retry shortly"));
        }
        ReturnId returnId = ReturnId.newId();
        commands.sendAndWait(new RequestReturnCommand(returnId, request.lines().stream()
                .map(l -> new RequestedReturnLine(new ProductId(l.productId()), l.quantity())).toList(),
                request.reason(), order));
        return ResponseEntity.accepted()
                .location(URI.create("/api/returns/" + returnId))
                .body(new ReturnAccepted(returnId.toString()));
    }

    /** The warehouse confirms it has the goods; restock and refund follow. */
    @PostMapping("/{returnId}/receipt")
    ResponseEntity<Void> receive(@PathVariable UUID returnId,
                                 @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new ConfirmReturnReceiptCommand(new ReturnId(returnId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.accepted().build();
    }
}
