package org.orderly.query.catalog;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.FindProductQuery;
import org.orderly.api.catalog.FindProductsQuery;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductPage;
import org.orderly.api.catalog.ProductStatus;
import org.orderly.api.catalog.ProductView;
import org.orderly.api.common.Money;
import org.orderly.config.web.ETags;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.ReadsFrom;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Catalog queries over HTTP, answered from the catalog domain's read model. */
@RestController
@Tag(name = "Catalog")
@ReadsFrom(ProductProjection.PROCESSING_GROUP)
@RequestMapping("/api/products")
class ProductQueryController {

    private final QueryGateway queries;

    ProductQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    /** The amount as a decimal string, so no client reads it into a float. */
    record MoneyResponse(String amount, String currency) {
        static MoneyResponse of(Money money) {
            return new MoneyResponse(money.amount().toPlainString(), money.currency());
        }
    }

    record ProductResponse(String productId, String sku, String name, MoneyResponse price, int weightGrams,
                           String status, long version) {
        static ProductResponse of(ProductView view) {
            return new ProductResponse(view.productId().toString(), view.sku(), view.name(),
                    MoneyResponse.of(view.price()), view.weightGrams(), view.status().name(), view.version());
        }
    }

    record ProductListResponse(List<ProductResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "getProduct", summary = "Read a product",
            description = """
                    Public. A discontinued product is still found, with status DISCONTINUED. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200", description = "The product",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ProductResponse.class), examples = @ExampleObject(value = """
                            {"productId": "5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60", "sku": "PEN-BLUE-01",
                             "name": "Blue fountain pen", "price": {"amount": "12.50", "currency": "EUR"},
                             "weightGrams": 40, "status": "ACTIVE", "version": 0}""")))
    @ApiResponse(responseCode = "404", description = "No such product",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Product 5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60 does not exist",
                         "instance": "/api/products/5f0c6a2e-8d1b-4c55-9a3e-1f7b2d9c4e60"}""")))
    @GetMapping("/{productId}")
    ResponseEntity<ProductResponse> get(@PathVariable UUID productId) {
        ProductView view = queries.query(new FindProductQuery(new ProductId(productId)),
                ResponseTypes.instanceOf(ProductView.class)).join();
        if (view == null) {
            throw Problems.notFound("Product " + productId);
        }
        return ETags.ok(view.version()).body(ProductResponse.of(view));
    }

    @Operation(operationId = "listProducts", summary = "List the catalog",
            description = """
                    Public. Every product, or those of one status; by cursor. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @ApiResponse(responseCode = "400", description = "status is not a product status",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "status: must be one of [ACTIVE, DISCONTINUED]",
                         "instance": "/api/products",
                         "errors": [{"field": "status", "reason": "must be one of [ACTIVE, DISCONTINUED]"}]}""")))
    @GetMapping
    ProductListResponse list(@RequestParam(required = false) Integer limit,
                             @RequestParam(required = false) String cursor,
                             @Parameter(description = "ACTIVE or DISCONTINUED (any case); all when absent")
                             @RequestParam(required = false) String status) {
        ProductId after = Pagination.decode(cursor, ProductId::of);
        ProductPage page = queries.query(new FindProductsQuery(Pagination.limit(limit), after, status(status)),
                ResponseTypes.instanceOf(ProductPage.class)).join();
        return new ProductListResponse(page.items().stream().map(ProductResponse::of).toList(),
                Pagination.encode(page.next()));
    }

    private static ProductStatus status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return ProductStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("status", "must be one of " + List.of(ProductStatus.values()));
        }
    }
}
