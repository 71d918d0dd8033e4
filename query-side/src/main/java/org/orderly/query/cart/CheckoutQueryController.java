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
import org.orderly.api.cart.CartLine;
import org.orderly.api.cart.CheckoutId;
import org.orderly.api.cart.CheckoutView;
import org.orderly.api.cart.FindCheckoutQuery;
import org.orderly.api.customer.PostalAddress;
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

/** Checkout sessions over HTTP, read from the cart domain's {@code checkouts} read model. */
@RestController
@Tag(name = "Checkouts")
@ReadsFrom(CheckoutProjection.PROCESSING_GROUP)
@RequestMapping("/api/checkouts")
class CheckoutQueryController {

    private final QueryGateway queries;

    CheckoutQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @Schema(name = "CheckoutLineResponse")
    record LineResponse(String productId, int quantity,
                        @Schema(description = "The price when the session started") MoneyJson unitPrice,
                        MoneyJson lineTotal) {
        static LineResponse of(CartLine line) {
            return new LineResponse(line.productId().toString(), line.quantity(), MoneyJson.of(line.unitPrice()),
                    MoneyJson.of(line.unitPrice().times(line.quantity())));
        }
    }

    @Schema(name = "CheckoutAddressResponse", description = "A copy of one of the customer's addresses, as it read "
            + "when it was chosen")
    record AddressResponse(String recipientName, String line1,
                           @Schema(types = {"string", "null"}) String line2, String postalCode, String city,
                           @Schema(types = {"string", "null"}) String region, String country,
                           @Schema(types = {"string", "null"}) String phone) {
        static AddressResponse of(PostalAddress address) {
            return address == null ? null : new AddressResponse(address.recipientName(), address.line1(),
                    address.line2(), address.postalCode(), address.city(), address.region(), address.country(),
                    address.phone());
        }
    }

    record CheckoutResponse(String checkoutId, String cartId, String customerId,
                            @Schema(allowableValues = {"OPEN", "CONFIRMING", "CONFIRMED", "FAILED", "EXPIRED"})
                            String status,
                            List<LineResponse> lines, MoneyJson itemsTotal,
                            @Schema(types = {"object", "null"}) AddressResponse shippingAddress,
                            @Schema(types = {"object", "null"}) AddressResponse billingAddress,
                            @Schema(types = {"string", "null"}) String shippingMethod,
                            @Schema(types = {"object", "null"}) MoneyJson shippingCost,
                            @Schema(types = {"object", "null"}, description = "Items and shipping; null until a "
                                    + "shipping method is chosen") MoneyJson total,
                            @Schema(types = {"string", "null"}, description = "The order, once confirmation asked "
                                    + "for it") String orderId,
                            @Schema(types = {"string", "null"}, description = "Why the order was refused or "
                                    + "rejected, when FAILED") String failureReason,
                            @Schema(description = "When an OPEN session expires unless confirmed before")
                            String expiresAt,
                            long version) {
        static CheckoutResponse of(CheckoutView view) {
            return new CheckoutResponse(view.checkoutId().toString(), view.cartId().toString(),
                    view.customerId().toString(), view.status().name(),
                    view.lines().stream().map(LineResponse::of).toList(), MoneyJson.of(view.itemsTotal()),
                    AddressResponse.of(view.shippingAddress()), AddressResponse.of(view.billingAddress()),
                    view.shippingMethod(), view.shippingCost() == null ? null : MoneyJson.of(view.shippingCost()),
                    view.total() == null ? null : MoneyJson.of(view.total()),
                    view.orderId() == null ? null : view.orderId().toString(), view.failureReason(),
                    view.expiresAt().toString(), view.version());
        }
    }

    @Operation(operationId = "getCheckout", summary = "Read a checkout session",
            description = """
                    The session's status, its lines and prices as they were when it started, the chosen addresses \
                    and shipping method, the total with shipping, the order once confirmation asked for it, and the \
                    reason when its order was refused or rejected. Answered from the read model, which follows the \
                    commands asynchronously; send the X-Orderly-Position of a command's answer to read its effect. \
                    Another customer's session answers 404; staff read every session.""")
    @ApiResponse(responseCode = "200", description = "The session",
            headers = @Header(name = "ETag", description = "Its version", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CheckoutResponse.class), examples = @ExampleObject(value = """
                            {"checkoutId": "3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20",
                             "cartId": "7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f",
                             "customerId": "0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10", "status": "FAILED",
                             "lines": [{"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "quantity": 2,
                                        "unitPrice": {"amount": "10.00", "currency": "EUR"},
                                        "lineTotal": {"amount": "20.00", "currency": "EUR"}}],
                             "itemsTotal": {"amount": "20.00", "currency": "EUR"},
                             "shippingAddress": {"recipientName": "Ada Lovelace", "line1": "1 Analytical Way",
                                                 "line2": null, "postalCode": "10115", "city": "Berlin",
                                                 "region": null, "country": "DE", "phone": null},
                             "billingAddress": {"recipientName": "Analytical Ltd", "line1": "1 Engine Road",
                                                "line2": null, "postalCode": "10115", "city": "Berlin",
                                                "region": null, "country": "DE", "phone": null},
                             "shippingMethod": "STANDARD",
                             "shippingCost": {"amount": "4.90", "currency": "EUR"},
                             "total": {"amount": "24.90", "currency": "EUR"},
                             "orderId": "e1f2a3b4-c5d6-3e7f-8a9b-0c1d2e3f4a5b",
                             "failureReason": "insufficient stock", "expiresAt": "2026-12-05T18:30:00Z",
                             "version": 5}""")))
    @ApiResponse(responseCode = "404", description = "No such session, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Checkout 3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20 does not exist",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20"}""")))
    @GetMapping("/{checkoutId}")
    ResponseEntity<CheckoutResponse> get(@PathVariable UUID checkoutId) {
        CheckoutView view = queries.query(new FindCheckoutQuery(new CheckoutId(checkoutId)),
                ResponseTypes.instanceOf(CheckoutView.class)).join();
        if (view == null) {
            throw Problems.notFound("Checkout " + checkoutId);
        }
        return ETags.ok(view.version()).body(CheckoutResponse.of(view));
    }
}
