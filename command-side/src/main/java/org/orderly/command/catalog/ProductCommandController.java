package org.orderly.command.catalog;

import java.math.BigDecimal;
import java.net.URI;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.catalog.AddProductCommand;
import org.orderly.api.catalog.AttributeType;
import org.orderly.api.catalog.CategorizeProductCommand;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.ProductAttribute;
import org.orderly.api.catalog.SetProductAttributesCommand;
import org.orderly.api.catalog.ChangeProductPriceCommand;
import org.orderly.api.catalog.DiscontinueProductCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.RenameProductCommand;
import org.orderly.api.common.Money;
import org.orderly.config.web.ETags;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Catalog commands over HTTP. Each call waits for the command to be stored, or refused. */
@RestController
@Tag(name = "Catalog", description = "Products, their prices and names: public to read, staff to change")
@RequestMapping("/api/products")
class ProductCommandController {

    private final CommandGateway commands;

    ProductCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    /** Money as clients send it; the amount may be a JSON string ("12.50") or number, never parsed as a float. */
    @Schema(description = "A price: a decimal and its currency")
    record MoneyRequest(
            @Schema(types = {"string", "number"}, example = "\"12.50\"",
                    description = "A decimal, as a string or a number (never read as a float)")
            @NotNull @Positive @DecimalMax(value = CatalogRules.PRICE_LIMIT, inclusive = false) BigDecimal amount,
            @Schema(description = "An ISO 4217 currency code", example = "EUR")
            @NotBlank @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR") String currency) {
    }

    record AddProductRequest(
            @NotBlank @Size(max = CatalogRules.MAX_SKU) String sku,
            @NotBlank @Size(max = CatalogRules.MAX_NAME) String name,
            @NotNull @Valid MoneyRequest price,
            @NotNull @Positive Integer weightGrams,
            @Schema(types = {"string", "null"}, format = "uuid",
                    description = "The category to list the product in; absent for none yet")
            UUID categoryId) {
    }

    record CategorizeRequest(@Schema(format = "uuid", description = "The category the product is in from now on")
                             @NotNull UUID categoryId) {
    }

    @Schema(description = "One typed attribute")
    record AttributeRequest(
            @Schema(description = "Lower-case letters, digits, '-' and '_' (upper case is lowered); unique per product",
                    example = "color", pattern = CatalogRules.ATTRIBUTE_NAME)
            @NotBlank @Size(max = 64) String name,
            @Schema(description = "How the value is read and filtered on") @NotNull AttributeType type,
            @Schema(types = {"string", "number", "boolean"}, example = "\"red\"", description = """
                    TEXT: up to 200 characters; NUMBER: a decimal (as a JSON number or a string, read exactly, \
                    below 10^15 in size with at most 6 decimals); BOOLEAN: true or false""")
            @NotNull @JsonDeserialize(using = AttributeValueJson.class) String value) {
    }

    record AttributesRequest(@NotNull @Size(max = CatalogRules.MAX_ATTRIBUTES) List<@NotNull @Valid AttributeRequest> attributes) {
    }

    record RenameRequest(@NotBlank @Size(max = CatalogRules.MAX_NAME) String name) {
    }

    record ProductAdded(@Schema(description = "The new product's id", format = "uuid") String productId) {
    }

    @Operation(operationId = "addProduct", summary = "Add a product to the catalog",
            description = """
                    Staff add a product with a unique SKU. The price's currency decides how many decimals it may \
                    have (EUR: 2, JPY: 0). The product is listed by GET /api/products once the catalog's read model \
                    has caught up, and can be stocked (POST /api/inventory/{productId}/receipts) from then on.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"sku": "PEN-BLUE-01", "name": "Blue fountain pen",
                     "price": {"amount": "12.50", "currency": "EUR"}, "weightGrams": 40}""")))
    @ApiResponse(responseCode = "201", description = "Added; Location is the product, ETag its version",
            headers = {
                    @Header(name = "Location", description = "The product: /api/products/{productId}",
                            schema = @Schema(type = "string")),
                    @Header(name = "ETag", description = "The product's version, for If-Match: \"0\" (\"1\" when added in a category)",
                            schema = @Schema(type = "string"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ProductAdded.class), examples = @ExampleObject(value = """
                            {"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60"}""")))
    @ApiResponse(responseCode = "400", description = "A field is missing or invalid: a blank or spaced SKU, a price "
                + "not above 0, more decimals than the currency has, an unknown "
                + "currency",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "tooManyDecimals", summary = "Three decimals in EUR", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "price.amount: must have at most 2 decimals in EUR",
                             "instance": "/api/products",
                             "errors": [{"field": "price.amount", "reason": "must have at most 2 decimals in EUR"}]}"""),
                    @ExampleObject(name = "unknownCurrency", summary = "A currency that does not exist", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "price.currency: is not an ISO 4217 currency code",
                             "instance": "/api/products",
                             "errors": [{"field": "price.currency", "reason": "is not an ISO 4217 currency code"}]}""")}))
    @ApiResponse(responseCode = "422", description = "The category named does not exist",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 does not exist",
                         "instance": "/api/products",
                         "errors": [{"field": "categoryId", "reason": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 does not exist"}]}""")))
    @ApiResponse(responseCode = "409", description = "Another product has this SKU",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "skuInUse", summary = "A SKU in use", value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "SKU PEN-BLUE-01 is already in use",
                         "instance": "/api/products",
                         "errors": [{"field": "sku", "reason": "SKU PEN-BLUE-01 is already in use"}]}""")))
    @PostMapping
    ResponseEntity<ProductAdded> add(@Valid @RequestBody AddProductRequest request) {
        ProductId id = ProductId.newId();
        Money price = money(request.price(), "price.");
        commands.sendAndWait(new AddProductCommand(id, request.sku(), request.name(), price, request.weightGrams(),
                request.categoryId() == null ? null : new CategoryId(request.categoryId())));
        return ResponseEntity.created(URI.create("/api/products/" + id))
                // a product added in a category is added, then categorized: two events
                .eTag(ETags.of(request.categoryId() == null ? 0 : 1))
                .body(new ProductAdded(id.toString()));
    }

    @Operation(operationId = "changeProductPrice", summary = "Change a product's price",
            description = """
                    Orders placed from then on are priced at the new price; orders already placed keep theirs. \
                    If-Match (the product's ETag) makes the change conditional on the version read.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"amount": "13.90", "currency": "EUR"}""")))
    @ApiResponse(responseCode = "204", description = "Changed")
    @ApiResponse(responseCode = "400", description = "The price is not above 0, has more decimals than its currency, "
                + "or the currency is unknown",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "amount: must have at most 2 decimals in EUR",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/price",
                         "errors": [{"field": "amount", "reason": "must have at most 2 decimals in EUR"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such product",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/price"}""")))
    @ApiResponse(responseCode = "409", description = "The product is discontinued, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "discontinued", summary = "A discontinued product", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued",
                             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/price"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/price",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PutMapping("/{productId}/price")
    ResponseEntity<Void> changePrice(@PathVariable UUID productId,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @Valid @RequestBody MoneyRequest request) {
        Long expectedVersion = ETags.expectedVersion(ifMatch);
        commands.sendAndWait(new ChangeProductPriceCommand(new ProductId(productId), money(request, ""), expectedVersion));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "renameProduct", summary = "Rename a product",
            description = """
                    Orders placed from then on show the new name; orders already placed keep the name they were \
                    placed with. If-Match (the product's ETag) makes the change conditional on the version read.""")
    @ApiResponse(responseCode = "204", description = "Renamed")
    @ApiResponse(responseCode = "404", description = "No such product",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/name"}""")))
    @ApiResponse(responseCode = "409", description = "The product is discontinued, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "discontinued", summary = "A discontinued product", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued",
                             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/name"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/name",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PutMapping("/{productId}/name")
    ResponseEntity<Void> rename(@PathVariable UUID productId,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                @Valid @RequestBody RenameRequest request) {
        commands.sendAndWait(new RenameProductCommand(new ProductId(productId), request.name(),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "discontinueProduct", summary = "Discontinue a product",
            description = """
                    The product can no longer be ordered (an order naming it is a 422) nor changed; it stays in the \
                    catalog, with status DISCONTINUED, and orders already placed go on.""")
    @ApiResponse(responseCode = "204", description = "Discontinued")
    @ApiResponse(responseCode = "404", description = "No such product",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/discontinuation"}""")))
    @ApiResponse(responseCode = "409", description = "Already discontinued, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "discontinued", summary = "A discontinued product", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued",
                             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/discontinuation"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/discontinuation",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PostMapping("/{productId}/discontinuation")
    ResponseEntity<Void> discontinue(@PathVariable UUID productId,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new DiscontinueProductCommand(new ProductId(productId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    private static final String PRODUCT_NOT_FOUND = """
            {"type": "about:blank", "title": "Not Found", "status": 404,
             "detail": "No resource with id 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60",
             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/category"}""";
    private static final String PRODUCT_CONFLICT = """
            {"type": "about:blank", "title": "Conflict", "status": 409,
             "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 is discontinued",
             "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/category"}""";

    @Operation(operationId = "categorizeProduct", summary = "Put a product in a category",
            description = """
                    A product is in one category at a time: this moves it out of the one it was in. Lists filtered \
                    by a category show it, and lists filtered by any category above. If-Match (the product's ETag) \
                    makes the change conditional on the version read.""")
    @ApiResponse(responseCode = "204", description = "In the category")
    @ApiResponse(responseCode = "400", description = "categoryId is missing or not a UUID",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "categoryId: must not be null",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/category",
                         "errors": [{"field": "categoryId", "reason": "must not be null"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such product",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = PRODUCT_NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "The product is discontinued, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = PRODUCT_CONFLICT)))
    @ApiResponse(responseCode = "422", description = "The category does not exist",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
                         "detail": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 does not exist",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/category",
                         "errors": [{"field": "categoryId", "reason": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 does not exist"}]}""")))
    @PutMapping("/{productId}/category")
    ResponseEntity<Void> categorize(@PathVariable UUID productId,
                                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                    @Valid @RequestBody CategorizeRequest request) {
        commands.sendAndWait(new CategorizeProductCommand(new ProductId(productId), new CategoryId(request.categoryId()),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "setProductAttributes", summary = "Set a product's attributes",
            description = """
                    Replaces the product's attributes with those sent (an empty list removes them all). Each is \
                    TEXT, NUMBER or BOOLEAN, and its value must read as that type; lists filter on them \
                    (GET /api/products?attr.color=red&attr.weight.min=2). If-Match (the product's ETag) makes the \
                    change conditional on the version read.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"attributes": [{"name": "color", "type": "TEXT", "value": "blue"},
                                    {"name": "nib-mm", "type": "NUMBER", "value": 0.5},
                                    {"name": "refillable", "type": "BOOLEAN", "value": true}]}""")))
    @ApiResponse(responseCode = "204", description = "Set")
    @ApiResponse(responseCode = "400", description = "An attribute is malformed: a bad name, a name twice, a type "
                + "that is none, a value that does not read as its type",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "attributes[1].value: must be a decimal number for a NUMBER attribute",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60/attributes",
                         "errors": [{"field": "attributes[1].value", "reason": "must be a decimal number for a NUMBER attribute"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such product",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = PRODUCT_NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "The product is discontinued, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = PRODUCT_CONFLICT)))
    @PutMapping("/{productId}/attributes")
    ResponseEntity<Void> setAttributes(@PathVariable UUID productId,
                                       @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                       @Valid @RequestBody AttributesRequest request) {
        // Checked here too, so a refusal is a 400 before any command is sent; the aggregate checks again.
        List<ProductAttribute> attributes = request.attributes().stream()
                .map(a -> new ProductAttribute(a.name(), a.type(), a.value())).toList();
        try {
            CatalogRules.attributes(attributes);
        } catch (org.orderly.api.common.RefusedException e) {
            throw Problems.badRequest(e.refusal().field(), e.refusal().message());
        }
        commands.sendAndWait(new SetProductAttributesCommand(new ProductId(productId), attributes,
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    /**
     * Bean validation has checked the shape; this checks what depends on the currency (a real one, no
     * more decimals than it has), as a 400 naming the field under {@code path}.
     */
    private static Money money(MoneyRequest request, String path) {
        Currency currency;
        try {
            currency = Currency.getInstance(request.currency());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest(path + "currency", "is not an ISO 4217 currency code");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw Problems.badRequest(path + "currency", "is not a currency prices can be in");
        }
        // Checked before Money sees the amount: Money's own refusal spells the amount out in full, and
        // "1e-999999999" is short to send but a billion digits to print.
        if (request.amount().stripTrailingZeros().scale() > currency.getDefaultFractionDigits()) {
            throw Problems.badRequest(path + "amount", "must have at most " + currency.getDefaultFractionDigits()
                    + " decimals in " + currency.getCurrencyCode());
        }
        return new Money(request.amount(), currency.getCurrencyCode());
    }
}
