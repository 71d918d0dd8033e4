package org.orderly.query.inventory;

import java.util.UUID;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.inventory.FindStockQuery;
import org.orderly.api.inventory.StockView;
import org.orderly.config.web.ETags;
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Stock levels over HTTP, answered from the inventory domain's read model. */
@RestController
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
