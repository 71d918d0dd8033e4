package org.orderly.command.inventory;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.FindProductQuery;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductView;
import org.orderly.api.inventory.ReceiveStockCommand;
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Stock receipts over HTTP. Reservations, releases and commits are not offered here: the order process
 * sends those as commands.
 */
@RestController
@RequestMapping("/api/inventory")
class InventoryCommandController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    InventoryCommandController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record ReceiptRequest(@NotNull @Positive Integer quantity) {
    }

    /**
     * Only products the catalog knows can be stocked. The catalog answers from its read model, so a
     * product added a moment ago may still be unknown here for as long as that projection lags.
     */
    @PostMapping("/{productId}/receipts")
    ResponseEntity<Void> receive(@PathVariable UUID productId, @Valid @RequestBody ReceiptRequest request) {
        ProductId id = new ProductId(productId);
        ProductView product = queries.query(new FindProductQuery(id), ResponseTypes.instanceOf(ProductView.class)).join();
        if (product == null) {
            throw Problems.notFound("Product " + productId);
        }
        commands.sendAndWait(new ReceiveStockCommand(id, request.quantity()));
        return ResponseEntity.noContent().build();
    }
}
