package org.orderly.command.cart;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.cart.AddCartLineCommand;
import org.orderly.api.cart.CartId;
import org.orderly.api.cart.ChangeCartLineQuantityCommand;
import org.orderly.api.cart.ClearCartCommand;
import org.orderly.api.cart.OpenCartCommand;
import org.orderly.api.cart.RemoveCartLineCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.CustomerId;
import org.orderly.config.command.CommandConflicts;
import org.orderly.config.security.Actors;
import org.orderly.config.web.ProblemJson;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Cart commands over HTTP. A customer has one ACTIVE cart: {@code POST /api/carts} answers it, opening one when
 * there is none (a client calls it whenever it needs "my cart", so it is safe to repeat). Lines are changed through
 * {@code /api/carts/{cartId}/lines}; the cart is read with {@code GET /api/carts/{cartId}}.
 */
@RestController
@Tag(name = "Carts", description = "A customer's cart: lines at current prices, expiring when left idle")
@RequestMapping("/api/carts")
@EnableConfigurationProperties(CartProperties.class)
class CartCommandController {

    private static final String NOT_FOUND_EXAMPLE = """
            {"type": "about:blank", "title": "Not Found", "status": 404,
             "detail": "No resource with id 7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f",
             "instance": "/api/carts/7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f/lines"}""";
    private static final String EXPIRED_EXAMPLE = """
            {"type": "about:blank", "title": "Conflict", "status": 409,
             "detail": "Cart 7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f is EXPIRED: it went unchanged too long; open a new cart and can no longer be changed",
             "instance": "/api/carts/7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f/lines"}""";

    private final CommandGateway commands;
    private final JdbcCartCopies copies;

    CartCommandController(CommandGateway commands, JdbcCartCopies copies) {
        this.commands = commands;
        this.copies = copies;
    }

    record CartOpened(@Schema(description = "The customer's active cart", format = "uuid") String cartId) {
    }

    @Schema(name = "CartLineRequest")
    record AddLineRequest(@NotNull UUID productId, @NotNull @Min(1) @Max(Cart.MAX_QUANTITY) Integer quantity) {
    }

    record QuantityRequest(@NotNull @Min(1) @Max(Cart.MAX_QUANTITY) Integer quantity) {
    }

    @Operation(operationId = "openCart", summary = "Open my cart, or answer the one I have",
            description = """
                    The calling customer's ACTIVE cart: 200 with the one they have, or 201 with a new empty one \
                    when they have none (never had one, or theirs expired or was checked out). Safe to repeat, \
                    also in parallel: a customer never has two active carts. A cart expires after \
                    orderly.cart.idle-timeout (default 30 minutes) without a change.""")
    @ApiResponse(responseCode = "200", description = "The customer's active cart; Location is the cart",
            headers = @Header(name = "Location", description = "The cart: /api/carts/{cartId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CartOpened.class), examples = @ExampleObject(value = """
                            {"cartId": "7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f"}""")))
    @ApiResponse(responseCode = "201", description = "A new empty cart; Location is the cart",
            headers = @Header(name = "Location", description = "The cart: /api/carts/{cartId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CartOpened.class)))
    @ApiResponse(responseCode = "503", description = "The cart domain has not caught up with the latest changes to "
                + "carts yet; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The cart domain has not yet recorded the latest changes to carts; retry shortly",
                         "instance": "/api/carts"}""")))
    @PostMapping
    ResponseEntity<CartOpened> open() {
        Actor actor = Actors.current();
        if (actor.customerId() == null) {
            throw new RefusedException(Refusal.invalid(null, "Only a customer has a cart"));
        }
        CustomerId customerId = new CustomerId(actor.customerId());
        JdbcCartCopies.CustomerCarts carts = copies.carts(customerId);
        if (carts.active().isPresent()) {
            return answer(HttpStatus.OK, carts.active().get());
        }
        CartId cartId = CartId.forCustomer(customerId, carts.opened());
        try {
            commands.sendAndWait(new OpenCartCommand(cartId, customerId));
        } catch (RuntimeException e) {
            if (!CommandConflicts.isStreamCreation(e)) {
                throw e;
            }
            // A parallel request opened this very cart a moment ago: it is the customer's active cart.
            return answer(HttpStatus.OK, cartId);
        }
        return answer(HttpStatus.CREATED, cartId);
    }

    private static ResponseEntity<CartOpened> answer(HttpStatus status, CartId cartId) {
        return ResponseEntity.status(status).location(URI.create("/api/carts/" + cartId))
                .body(new CartOpened(cartId.toString()));
    }

    @Operation(operationId = "addCartLine", summary = "Put a product in my cart",
            description = """
                    Adds quantity units of a product, at its current price in the cart domain's copy of the \
                    catalog; a product already in the cart gets the units added to its line (and its price as of \
                    now). A quantity beyond what inventory shows available is accepted, and the line is flagged \
                    (beyondStock). An unknown or discontinued product is 422. A copy of the catalog that has not \
                    caught up with the product's latest change is a 503 with Retry-After.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "quantity": 2}""")))
    @ApiResponse(responseCode = "204", description = "Added")
    @ApiResponse(responseCode = "400", description = "productId or quantity missing or invalid",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "quantity must be greater than or equal to 1",
                             "instance": "/api/carts/7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f/lines",
                             "errors": [{"field": "quantity", "reason": "must be greater than or equal to 1"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such cart, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The cart is EXPIRED or CHECKED_OUT, or holds 100 products already",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = EXPIRED_EXAMPLE)))
    @ApiResponse(responseCode = "422", description = "No such product, or it is discontinued",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued",
                         "instance": "/api/carts/7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f/lines",
                         "errors": [{"field": "productId", "reason": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued"}]}""")))
    @ApiResponse(responseCode = "503", description = "The cart domain's copy of the catalog has not caught up with the "
                + "product's latest change yet; retry after Retry-After seconds",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The cart domain has not yet copied the latest changes to this product; retry shortly",
                         "instance": "/api/carts/7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f/lines"}""")))
    @PostMapping("/{cartId}/lines")
    ResponseEntity<Void> add(@PathVariable UUID cartId, @Valid @RequestBody AddLineRequest request) {
        ProductId productId = new ProductId(request.productId());
        Optional<JdbcCartCopies.ProductCopy> product = copies.product(productId);
        if (product.isEmpty()) {
            throw unprocessable("Product " + productId + " does not exist");
        }
        if (product.get().status() != ProductStatus.ACTIVE) {
            throw unprocessable("Product " + productId + " is discontinued");
        }
        commands.sendAndWait(new AddCartLineCommand(new CartId(cartId), productId, request.quantity(),
                product.get().price()));
        return ResponseEntity.noContent().build();
    }

    private static RefusedException unprocessable(String message) {
        return new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "productId", message));
    }

    @Operation(operationId = "changeCartLineQuantity", summary = "Change how many of a product are in my cart",
            description = """
                    Sets the quantity of a product already in the cart (1 to 10000; remove the line to take the \
                    product out). The line keeps the price it was added at.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"quantity": 3}""")))
    @ApiResponse(responseCode = "204", description = "Changed")
    @ApiResponse(responseCode = "400", description = "quantity missing or out of range",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "quantity must not be null",
                             "instance": "/api/carts/7d3f0c1e-2b4a-4f6d-9e8c-5a1b2c3d4e5f/lines/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60",
                             "errors": [{"field": "quantity", "reason": "must not be null"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such cart, another customer's, or the product is not in it",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The cart is EXPIRED or CHECKED_OUT",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = EXPIRED_EXAMPLE)))
    @PutMapping("/{cartId}/lines/{productId}")
    ResponseEntity<Void> change(@PathVariable UUID cartId, @PathVariable UUID productId,
                                @Valid @RequestBody QuantityRequest request) {
        commands.sendAndWait(new ChangeCartLineQuantityCommand(new CartId(cartId), new ProductId(productId),
                request.quantity()));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "removeCartLine", summary = "Take a product out of my cart")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", description = "No such cart, another customer's, or the product is not in it",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The cart is EXPIRED or CHECKED_OUT",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = EXPIRED_EXAMPLE)))
    @DeleteMapping("/{cartId}/lines/{productId}")
    ResponseEntity<Void> remove(@PathVariable UUID cartId, @PathVariable UUID productId) {
        commands.sendAndWait(new RemoveCartLineCommand(new CartId(cartId), new ProductId(productId)));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "clearCart", summary = "Empty my cart",
            description = "Takes every product out; the cart stays the customer's active cart.")
    @ApiResponse(responseCode = "204", description = "Emptied")
    @ApiResponse(responseCode = "404", description = "No such cart, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The cart is EXPIRED or CHECKED_OUT",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = EXPIRED_EXAMPLE)))
    @DeleteMapping("/{cartId}/lines")
    ResponseEntity<Void> clear(@PathVariable UUID cartId) {
        commands.sendAndWait(new ClearCartCommand(new CartId(cartId)));
        return ResponseEntity.noContent().build();
    }
}
