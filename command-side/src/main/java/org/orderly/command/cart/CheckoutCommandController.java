package org.orderly.command.cart;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.HandlerExecutionException;
import org.orderly.api.cart.AddressUse;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.CartStatus;
import org.orderly.api.cart.CheckoutId;
import org.orderly.api.cart.ChooseCheckoutAddressCommand;
import org.orderly.api.cart.ChooseCheckoutShippingMethodCommand;
import org.orderly.api.cart.ConfirmCheckoutCommand;
import org.orderly.api.cart.FailCheckoutCommand;
import org.orderly.api.cart.StartCheckoutCommand;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.order.PlaceCheckoutOrderCommand;
import org.orderly.api.order.RequestedOrderLine;
import org.orderly.config.command.CommandConflicts;
import org.orderly.config.security.Actors;
import org.orderly.config.web.ProblemJson;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Checkout sessions over HTTP: {@code POST /api/checkouts} starts one from the customer's cart, the addresses and
 * the shipping method are chosen with {@code PUT}s, and {@code POST .../confirmation} places the order. The session
 * is read with {@code GET /api/checkouts/{checkoutId}} (query side).
 * <p>
 * Confirmation asks the session for its order (the same one however often it is asked), then has the order domain
 * place it with its own validation ({@link PlaceCheckoutOrderCommand}): a placement the order domain refuses fails
 * the session with the refusal's reason; an order it places is confirmed or rejected later by the fulfilment saga,
 * and the checkout confirmation saga carries that outcome to the session and the cart.
 */
@RestController
@Tag(name = "Checkouts", description = "Checkout sessions: from a cart to an order, with addresses and shipping")
@RequestMapping("/api/checkouts")
@EnableConfigurationProperties(CheckoutProperties.class)
class CheckoutCommandController {

    private static final String NOT_FOUND_EXAMPLE = """
            {"type": "about:blank", "title": "Not Found", "status": 404,
             "detail": "No resource with id 3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20",
             "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/shipping-method"}""";
    private static final String CLOSED_EXAMPLE = """
            {"type": "about:blank", "title": "Conflict", "status": 409,
             "detail": "Checkout 3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20 is EXPIRED: start a new checkout from the cart and can no longer be changed",
             "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/shipping-method"}""";

    private final CommandGateway commands;
    private final JdbcCustomerAddresses addresses;
    private final JdbcCartCopies copies;
    private final CheckoutProperties settings;

    CheckoutCommandController(CommandGateway commands, JdbcCustomerAddresses addresses, JdbcCartCopies copies,
                              CheckoutProperties settings) {
        this.commands = commands;
        this.addresses = addresses;
        this.copies = copies;
        this.settings = settings;
    }

    @Schema(name = "CheckoutStartRequest")
    record StartRequest(@NotNull UUID cartId) {
    }

    @Schema(name = "CheckoutAddressRequest")
    record AddressRequest(@NotNull UUID addressId) {
    }

    @Schema(name = "CheckoutShippingMethodRequest")
    record ShippingMethodRequest(@NotBlank String method) {
    }

    record CheckoutStarted(@Schema(format = "uuid") String checkoutId) {
    }

    record ConfirmationAnswer(@Schema(format = "uuid") String checkoutId,
                              @Schema(format = "uuid", description = "The order the session places") String orderId) {
    }

    @Operation(operationId = "startCheckout", summary = "Start checking out my cart",
            description = """
                    Starts a checkout session from the calling customer's ACTIVE, non-empty cart, with a snapshot of \
                    its lines and prices. The session expires orderly.checkout.session-timeout (default 15 minutes) \
                    after it starts unless it is confirmed; it holds no stock and no payment until then, and a new \
                    session may be started from the same cart at any time.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"cartId": "7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f"}""")))
    @ApiResponse(responseCode = "201", description = "Started; Location is the session",
            headers = @Header(name = "Location", description = "The session: /api/checkouts/{checkoutId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CheckoutStarted.class), examples = @ExampleObject(value = """
                            {"checkoutId": "3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20"}""")))
    @ApiResponse(responseCode = "400", description = "cartId missing or not a UUID",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "cartId must not be null", "instance": "/api/checkouts",
                             "errors": [{"field": "cartId", "reason": "must not be null"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such cart, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Not Found", "status": 404,
                             "detail": "No resource with id 7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f",
                             "instance": "/api/checkouts"}""")))
    @ApiResponse(responseCode = "409", description = "The cart is empty, EXPIRED or CHECKED_OUT",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Cart 7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f is CHECKED_OUT: there is nothing to check out",
                             "instance": "/api/checkouts"}""")))
    @ApiResponse(responseCode = "503", description = "The cart domain has not caught up with the cart's latest change "
                + "yet; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The cart domain has not yet recorded the latest changes to carts; retry shortly",
                         "instance": "/api/checkouts"}""")))
    @PostMapping
    ResponseEntity<CheckoutStarted> start(@Valid @RequestBody StartRequest request) {
        Actor actor = Actors.current();
        CartId cartId = new CartId(request.cartId());
        JdbcCartCopies.CartContents cart = copies.currentContents(cartId)
                .filter(contents -> actor.mayAccess(contents.customerId().value()))
                .orElseThrow(() -> new RefusedException(Refusal.notFound("No resource with id " + cartId)));
        if (cart.status() != CartStatus.ACTIVE) {
            throw new RefusedException(Refusal.conflict("cartId", "Cart " + cartId + " is " + cart.status()
                    + ": there is nothing to check out"));
        }
        CheckoutId checkoutId = CheckoutId.newId();
        commands.sendAndWait(new StartCheckoutCommand(checkoutId, cartId, cart.customerId(), cart.lines(),
                cart.total()));
        return ResponseEntity.created(URI.create("/api/checkouts/" + checkoutId))
                .body(new CheckoutStarted(checkoutId.toString()));
    }

    @Operation(operationId = "chooseCheckoutShippingAddress", summary = "Ship my checkout to one of my addresses",
            description = """
                    Copies one of the customer's addresses into the session as it reads now; later changes to the \
                    address book do not reach the session. An address the customer does not have is 422.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"addressId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}""")))
    @ApiResponse(responseCode = "204", description = "Chosen")
    @ApiResponse(responseCode = "400", description = "addressId missing or not a UUID",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "addressId must not be null",
                             "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/shipping-address",
                             "errors": [{"field": "addressId", "reason": "must not be null"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such session, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The session is no longer OPEN",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = CLOSED_EXAMPLE)))
    @ApiResponse(responseCode = "422", description = "The customer has no such address",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "Address 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d is not one of the customer's",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/shipping-address",
                         "errors": [{"field": "addressId", "reason": "Address 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d is not one of the customer's"}]}""")))
    @ApiResponse(responseCode = "503", description = "The customer domain has not caught up with the customer's "
                + "latest change to their addresses yet; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The customer domain has not yet recorded the latest changes to addresses; retry shortly",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/shipping-address"}""")))
    @PutMapping("/{checkoutId}/shipping-address")
    ResponseEntity<Void> shippingAddress(@PathVariable UUID checkoutId, @Valid @RequestBody AddressRequest request) {
        return address(checkoutId, AddressUse.SHIPPING, request);
    }

    @Operation(operationId = "chooseCheckoutBillingAddress", summary = "Bill my checkout to one of my addresses",
            description = """
                    Copies one of the customer's addresses into the session as it reads now; later changes to the \
                    address book do not reach the session. An address the customer does not have is 422.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"addressId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}""")))
    @ApiResponse(responseCode = "204", description = "Chosen")
    @ApiResponse(responseCode = "400", description = "addressId missing or not a UUID",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "addressId must not be null",
                             "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/billing-address",
                             "errors": [{"field": "addressId", "reason": "must not be null"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such session, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The session is no longer OPEN",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = CLOSED_EXAMPLE)))
    @ApiResponse(responseCode = "422", description = "The customer has no such address",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "Address 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d is not one of the customer's",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/billing-address",
                         "errors": [{"field": "addressId", "reason": "Address 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d is not one of the customer's"}]}""")))
    @ApiResponse(responseCode = "503", description = "The customer domain has not caught up with the customer's "
                + "latest change to their addresses yet; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The customer domain has not yet recorded the latest changes to addresses; retry shortly",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/billing-address"}""")))
    @PutMapping("/{checkoutId}/billing-address")
    ResponseEntity<Void> billingAddress(@PathVariable UUID checkoutId, @Valid @RequestBody AddressRequest request) {
        return address(checkoutId, AddressUse.BILLING, request);
    }

    private ResponseEntity<Void> address(UUID checkoutId, AddressUse use, AddressRequest request) {
        Actor actor = Actors.current();
        AddressId addressId = new AddressId(request.addressId());
        PostalAddress address = actor.customerId() == null ? null
                : addresses.address(new CustomerId(actor.customerId()), addressId).orElse(null);
        // no such address of theirs: the session refuses it, once it has checked who asks
        commands.sendAndWait(new ChooseCheckoutAddressCommand(new CheckoutId(checkoutId), use, addressId, address));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "chooseCheckoutShippingMethod", summary = "Choose how my checkout ships",
            description = """
                    One of the shipping methods orderly.checkout.shipping-methods offers (by default STANDARD and \
                    EXPRESS), at the cost it has now; the session's total includes it.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"method": "EXPRESS"}""")))
    @ApiResponse(responseCode = "204", description = "Chosen")
    @ApiResponse(responseCode = "400", description = "method missing",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "method must not be blank",
                             "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/shipping-method",
                             "errors": [{"field": "method", "reason": "must not be blank"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such session, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The session is no longer OPEN",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = CLOSED_EXAMPLE)))
    @ApiResponse(responseCode = "422", description = "No such shipping method, or it is priced in another currency "
                + "than the cart",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "No shipping method PIGEON; offered: [EXPRESS, STANDARD]",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/shipping-method",
                         "errors": [{"field": "method", "reason": "No shipping method PIGEON; offered: [EXPRESS, STANDARD]"}]}""")))
    @PutMapping("/{checkoutId}/shipping-method")
    ResponseEntity<Void> shippingMethod(@PathVariable UUID checkoutId, @Valid @RequestBody ShippingMethodRequest request) {
        String method = request.method().strip().toUpperCase(Locale.ROOT);
        Money cost = null;
        for (Map.Entry<String, Money> offered : settings.shippingMethods().entrySet()) {
            if (offered.getKey().toUpperCase(Locale.ROOT).equals(method)) {
                cost = offered.getValue();
            }
        }
        if (cost == null) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "method", "No shipping method "
                    + method + "; offered: " + new java.util.TreeSet<>(settings.shippingMethods().keySet())));
        }
        commands.sendAndWait(new ChooseCheckoutShippingMethodCommand(new CheckoutId(checkoutId), method, cost));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "confirmCheckout", summary = "Confirm my checkout: place its order",
            description = """
                    Places the session's order through the order domain's placement (its validation, then the \
                    stock reservation and payment of the fulfilment saga), with the session's addresses and \
                    shipping cost. The answer names the order; the session shows CONFIRMED once the order is \
                    confirmed (the cart is then CHECKED_OUT), or FAILED with the reason once it is refused or \
                    rejected (the cart stays as it was). Confirming again (a retry, another tab) answers the same \
                    order: a session places one order. A refusal at placement (a product discontinued, the credit \
                    limit, prices changed since the session started) answers 422 and fails the session.""")
    @ApiResponse(responseCode = "202", description = "The order is being placed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ConfirmationAnswer.class), examples = @ExampleObject(value = """
                            {"checkoutId": "3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20",
                             "orderId": "e1f2a3b4-c5d6-3e7f-8a9b-0c1d2e3f4a5b"}""")))
    @ApiResponse(responseCode = "404", description = "No such session, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The session lacks an address or a shipping method, or is "
                + "EXPIRED or FAILED",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = CLOSED_EXAMPLE)))
    @ApiResponse(responseCode = "422", description = "The order domain refused the order (the session is FAILED)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "The order total 120.00 EUR exceeds the customer's credit limit 100.00 EUR",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/confirmation",
                         "errors": [{"field": "lines", "reason": "The order total 120.00 EUR exceeds the customer's credit limit 100.00 EUR"}]}""")))
    @ApiResponse(responseCode = "503", description = "The order domain's copies are behind; retry after Retry-After "
                + "seconds (the session stays CONFIRMING and a retry places the same order)",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The order domain has not yet copied the latest changes to this customer or these products; retry shortly",
                         "instance": "/api/checkouts/3b9d2f4e-6a1c-4e8f-b2d5-7c9a1e3f5b20/confirmation"}""")))
    @PostMapping("/{checkoutId}/confirmation")
    ResponseEntity<ConfirmationAnswer> confirm(@PathVariable UUID checkoutId) {
        CheckoutId id = new CheckoutId(checkoutId);
        CheckoutOrder order = commands.sendAndWait(new ConfirmCheckoutCommand(id));
        try {
            commands.sendAndWait(new PlaceCheckoutOrderCommand(order.orderId(), order.customerId(),
                    order.lines().stream().map(line -> new RequestedOrderLine(line.productId(),
                            line.quantity())).toList(),
                    order.shippingAddress(), order.billingAddress(), order.shippingCost(), itemsTotal(order)));
        } catch (RuntimeException e) {
            if (CommandConflicts.isStreamCreation(e)) {
                // a parallel confirmation placed this very order a moment ago: it is this session's order
                return accepted(checkoutId, order);
            }
            Refusal refused = refusal(e);
            if (refused != null && refused.kind() == Refusal.Kind.UNPROCESSABLE) {
                // the order domain will not take this order, now or on a retry: the session fails with its reason
                commands.sendAndWait(new FailCheckoutCommand(id, refused.message()));
            }
            throw e;
        }
        return accepted(checkoutId, order);
    }

    private static Money itemsTotal(CheckoutOrder order) {
        Money total = null;
        for (var line : order.lines()) {
            Money lineTotal = line.unitPrice().times(line.quantity());
            total = total == null ? lineTotal : total.plus(lineTotal);
        }
        return total;
    }

    private static ResponseEntity<ConfirmationAnswer> accepted(UUID checkoutId, CheckoutOrder order) {
        return ResponseEntity.accepted().location(URI.create("/api/checkouts/" + checkoutId))
                .body(new ConfirmationAnswer(checkoutId.toString(), order.orderId().toString()));
    }

    /** The refusal a command failed with, from the handler that refused it; {@code null} for any other failure. */
    private static Refusal refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RefusedException refused) {
                return refused.refusal();
            }
            if (t instanceof HandlerExecutionException handler && handler.getDetails().orElse(null) instanceof Refusal r) {
                return r;
            }
        }
        return null;
    }
}
