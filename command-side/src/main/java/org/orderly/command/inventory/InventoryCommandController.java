package org.orderly.command.inventory;

import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.inventory.ReceiveStockCommand;
import org.orderly.config.domainstore.DomainStoreReader;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
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
@Tag(name = "Inventory", description = "Stock on hand, reserved for orders and available, per product")
@RequestMapping("/api/inventory")
class InventoryCommandController {

    private final CommandGateway commands;
    /**
     * The catalog's schema, read here to refuse stock for a product the catalog does not list; the catalog's store
     * and its processor are declared by the query side.
     */
    @Configuration(proxyBeanMethods = false)
    static class CatalogReader {
        @Bean
        DomainStoreReader inventoryCatalogReader() {
            return DomainStoreReader.of("catalog", "products");
        }
    }

    private final JdbcTemplate catalog;

    InventoryCommandController(CommandGateway commands, DomainStores stores) {
        this.commands = commands;
        this.catalog = stores.get("catalog").jdbc();
    }

    record ReceiptRequest(@NotNull @Positive Integer quantity) {
    }

    /**
     * Only products the catalog knows can be stocked. The catalog answers from its read model, so a
     * product added a moment ago may still be unknown here for as long as that projection lags.
     */
    @Operation(operationId = "receiveStock", summary = "Receive stock of a product",
            description = """
                    Staff record goods arriving: on-hand stock grows by the quantity, and orders waiting for it can \
                    be confirmed. The product must be known to the catalog's read model, which follows the catalog \
                    asynchronously: a product added a moment ago may be a 404 here for as long as that read model \
                    lags. Each call adds: a retry of a receipt that was stored counts twice unless it carries the \
                    same Idempotency-Key.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"quantity": 100}""")))
    @ApiResponse(responseCode = "204", description = "Received")
    @ApiResponse(responseCode = "400", description = "The quantity is missing or not above 0",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "quantity must be greater than 0",
                         "instance": "/api/inventory/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/receipts",
                         "errors": [{"field": "quantity", "reason": "must be greater than 0"}]}""")))
    @ApiResponse(responseCode = "404", description = "The catalog does not know the product (yet)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 does not exist",
                         "instance": "/api/inventory/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/receipts"}""")))
    @PostMapping("/{productId}/receipts")
    ResponseEntity<Void> receive(@PathVariable UUID productId, @Valid @RequestBody ReceiptRequest request) {
        ProductId id = new ProductId(productId);
        Boolean listed = catalog.queryForObject("SELECT EXISTS (SELECT 1 FROM products WHERE product_id = ?)",
                Boolean.class, productId);
        if (!Boolean.TRUE.equals(listed)) {
            throw Problems.notFound("Product " + productId);
        }
        commands.sendAndWait(new ReceiveStockCommand(id, request.quantity()));
        return ResponseEntity.noContent().build();
    }
}
