package org.orderly.query.inventory;

import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.inventory.FindStockQuery;
import org.orderly.api.inventory.StockView;
import org.orderly.config.web.ETags;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.ReadsFrom;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Stock levels over HTTP, answered from the inventory domain's read model. */
@RestController
@Tag(name = "Inventory")
@ReadsFrom(StockLevelProjection.PROCESSING_GROUP)
@RequestMapping("/api/inventory")
class StockQueryController {

    private final QueryGateway queries;

    StockQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record StockResponse(String productId, int onHand, int reserved, int available) {
        static StockResponse of(StockView view) {
            return new StockResponse(view.productId().toString(), view.onHand(), view.reserved(), view.available());
        }
    }

    @Operation(operationId = "getStock", summary = "Read a product's stock",
            description = """
                    On hand, reserved for orders not yet shipped, and available to order (on hand less \
                    reserved). \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200", description = "The stock",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = StockResponse.class), examples = @ExampleObject(value = """
                            {"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "onHand": 100, "reserved": 2,
                             "available": 98}""")))
    @ApiResponse(responseCode = "404", description = "No stock was ever received for this product",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Stock of product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 does not exist",
                         "instance": "/api/inventory/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60"}""")))
    @GetMapping("/{productId}")
    ResponseEntity<StockResponse> get(@PathVariable UUID productId) {
        StockView view = queries.query(new FindStockQuery(new ProductId(productId)),
                ResponseTypes.instanceOf(StockView.class)).join();
        if (view == null) {
            throw Problems.notFound("Stock of product " + productId);
        }
        return ETags.ok(view.version()).body(StockResponse.of(view));
    }
}
