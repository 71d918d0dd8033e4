package org.orderly.query.cart;

import java.util.List;
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
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartLineView;
import org.orderly.api.cart.CartView;
import org.orderly.api.cart.FindCartQuery;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.orderly.config.web.ReadsFrom;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Cart queries over HTTP, answered from the cart domain's read model and its copies of the catalog and inventory. */
@RestController
@Tag(name = "Carts")
@ReadsFrom(CartProjection.PROCESSING_GROUP)
@RequestMapping("/api/carts")
class CartQueryController {

    private final QueryGateway queries;

    CartQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @Schema(name = "CartLineResponse")
    record LineResponse(String productId,
                        @Schema(types = {"string", "null"}, description = "The product's current name") String name,
                        int quantity,
                        @Schema(description = "The product's current price") MoneyJson unitPrice,
                        @Schema(description = "The price when the product was last added") MoneyJson addedPrice,
                        @Schema(description = "Whether the price changed since the product was added") boolean priceChanged,
                        MoneyJson lineTotal,
                        @Schema(types = {"integer", "null"}, description = "Units inventory shows available")
                        Integer available,
                        @Schema(description = "Whether the quantity is more than inventory shows available")
                        boolean beyondStock,
                        @Schema(description = "Whether the product was discontinued since it was added")
                        boolean discontinued) {
        static LineResponse of(CartLineView line) {
            return new LineResponse(line.productId().toString(), line.name(), line.quantity(),
                    MoneyJson.of(line.unitPrice()), MoneyJson.of(line.addedPrice()), line.priceChanged(),
                    MoneyJson.of(line.lineTotal()), line.available(), line.beyondStock(), line.discontinued());
        }
    }

    record CartResponse(String cartId, String customerId,
                        @Schema(allowableValues = {"ACTIVE", "EXPIRED", "CHECKED_OUT"}) String status,
                        List<LineResponse> lines,
                        @Schema(types = {"object", "null"}, description = "The lines at current prices; null when "
                                + "empty or priced in several currencies") MoneyJson total,
                        @Schema(description = "When an ACTIVE cart expires unless it changes before") String expiresAt,
                        long version) {
        static CartResponse of(CartView view) {
            return new CartResponse(view.cartId().toString(), view.customerId().toString(), view.status().name(),
                    view.lines().stream().map(LineResponse::of).toList(),
                    view.total() == null ? null : MoneyJson.of(view.total()), view.expiresAt().toString(),
                    view.version());
        }
    }

    @Operation(operationId = "getCart", summary = "Read a cart",
            description = """
                    The cart's status, lines and total at current prices, from the cart domain's copy of the \
                    catalog: a line whose price changed since it was added says so (priceChanged, with addedPrice), \
                    and one asking for more than inventory shows available is flagged (beyondStock). Answered from \
                    the read model, which follows the commands asynchronously; send the X-Orderly-Position of a \
                    command's answer to read its effect. Another customer's cart answers 404, as one that does not \
                    exist; staff read every cart.""")
    @ApiResponse(responseCode = "200", description = "The cart",
            headers = @Header(name = "ETag", description = "Its version", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CartResponse.class), examples = @ExampleObject(value = """
                            {"cartId": "7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f",
                             "customerId": "0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10", "status": "ACTIVE",
                             "lines": [{"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "name": "Fountain pen",
                                        "quantity": 2, "unitPrice": {"amount": "12.50", "currency": "EUR"},
                                        "addedPrice": {"amount": "10.00", "currency": "EUR"}, "priceChanged": true,
                                        "lineTotal": {"amount": "25.00", "currency": "EUR"}, "available": 1,
                                        "beyondStock": true, "discontinued": false}],
                             "total": {"amount": "25.00", "currency": "EUR"},
                             "expiresAt": "2026-12-05T18:30:00Z", "version": 3}""")))
    @ApiResponse(responseCode = "404", description = "No such cart, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Cart 7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f does not exist",
                         "instance": "/api/carts/7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f"}""")))
    @GetMapping("/{cartId}")
    ResponseEntity<CartResponse> get(@PathVariable UUID cartId) {
        CartView view = queries.query(new FindCartQuery(new CartId(cartId)),
                ResponseTypes.instanceOf(CartView.class)).join();
        if (view == null) {
            throw Problems.notFound("Cart " + cartId);
        }
        return ETags.ok(view.version()).body(CartResponse.of(view));
    }
}
