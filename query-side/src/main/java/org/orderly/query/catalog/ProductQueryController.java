package org.orderly.query.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.orderly.api.catalog.AttributeFilter;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.FindProductQuery;
import org.orderly.api.catalog.ProductAttribute;
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
import org.springframework.util.MultiValueMap;
import io.swagger.v3.oas.annotations.enums.ParameterIn;

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

    @Schema(description = "A typed attribute; the value in its canonical text (a number without trailing zeros, "
            + "a boolean as true or false)")
    record AttributeResponse(String name, @Schema(allowableValues = {"TEXT", "NUMBER", "BOOLEAN"}) String type,
                             String value) {
        static AttributeResponse of(ProductAttribute attribute) {
            return new AttributeResponse(attribute.name(), attribute.type().name(), attribute.value());
        }
    }

    record ProductResponse(String productId, String sku, String name, MoneyResponse price, int weightGrams,
                           String status, long version,
                           @Schema(types = {"string", "null"}, format = "uuid", description = "null when in no category")
                           String categoryId,
                           List<AttributeResponse> attributes) {
        static ProductResponse of(ProductView view) {
            return new ProductResponse(view.productId().toString(), view.sku(), view.name(),
                    MoneyResponse.of(view.price()), view.weightGrams(), view.status().name(), view.version(),
                    view.categoryId() == null ? null : view.categoryId().toString(),
                    view.attributes().stream().map(AttributeResponse::of).toList());
        }
    }

    /** {@code attr.<name>}, {@code attr.<name>.min}, {@code attr.<name>.max}: the attribute filters of a list. */
    private static final Pattern ATTRIBUTE_PARAMETER = Pattern.compile("attr\\.(.*?)(\\.min|\\.max)?");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int MAX_ATTRIBUTE_FILTERS = 10;
    private static final BigDecimal NUMBER_LIMIT = new BigDecimal("1000000000000000");

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
                             "weightGrams": 40, "status": "ACTIVE", "version": 2,
                             "categoryId": "0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10",
                             "attributes": [{"name": "color", "type": "TEXT", "value": "blue"},
                                            {"name": "nib-mm", "type": "NUMBER", "value": "0.5"}]}""")))
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
                    Public. Every product, or those matching every filter given; by cursor, in a stable order. \
                    category keeps the products of that category and of every category under it. Attribute \
                    filters: attr.<name>=<value> keeps products whose attribute equals the value (as text, as a \
                    boolean whatever its case, or as a number whatever its trailing zeros); attr.<name>.min and \
                    attr.<name>.max keep products whose NUMBER attribute is within the bounds (inclusive). Names \
                    are lower-case, as attributes are stored; up to 10 attribute filters. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @ApiResponse(responseCode = "400", description = "status is not a product status, category not a UUID, an "
                + "attribute filter names no valid attribute or gives a bound that is not a number",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "status", summary = "An unknown status", value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "status: must be one of [ACTIVE, DISCONTINUED]",
                         "instance": "/api/products",
                         "errors": [{"field": "status", "reason": "must be one of [ACTIVE, DISCONTINUED]"}]}"""),
                    @ExampleObject(name = "bound", summary = "A bound that is not a number", value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "attr.weight.min: must be a decimal number",
                         "instance": "/api/products",
                         "errors": [{"field": "attr.weight.min", "reason": "must be a decimal number"}]}""")}))
    @Parameter(name = "attr.{name}", in = ParameterIn.QUERY, description = """
            Keeps products whose attribute {name} equals this value; e.g. attr.color=red. \
            May be given for several attributes.""", schema = @Schema(type = "string"))
    @Parameter(name = "attr.{name}.min", in = ParameterIn.QUERY, description = """
            Keeps products whose NUMBER attribute {name} is at least this; e.g. \
            attr.weight.min=2""", schema = @Schema(type = "number"))
    @Parameter(name = "attr.{name}.max", in = ParameterIn.QUERY, description = """
            Keeps products whose NUMBER attribute {name} is at most this; e.g. \
            attr.weight.max=10.5""", schema = @Schema(type = "number"))
    @GetMapping
    @ReadsFrom({ProductProjection.PROCESSING_GROUP, CategoryProjection.PROCESSING_GROUP})
    ProductListResponse list(@RequestParam(required = false) Integer limit,
                             @RequestParam(required = false) String cursor,
                             @Parameter(description = "ACTIVE or DISCONTINUED (any case); all when absent")
                             @RequestParam(required = false) String status,
                             @Parameter(description = "A category's id: its products and those of every category "
                                     + "under it", schema = @Schema(type = "string", format = "uuid"))
                             @RequestParam(required = false) String category,
                             @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> parameters) {
        ProductId after = Pagination.decode(cursor, ProductId::of);
        FindProductsQuery query = new FindProductsQuery(Pagination.limit(limit), after, status(status),
                category(category), attributeFilters(parameters));
        ProductPage page = queries.query(query, ResponseTypes.instanceOf(ProductPage.class)).join();
        return new ProductListResponse(page.items().stream().map(ProductResponse::of).toList(),
                Pagination.encode(page.next()));
    }

    private static CategoryId category(String category) {
        if (category == null || category.isBlank()) {
            return null;
        }
        try {
            return CategoryId.of(category.strip());
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("category", "must be a category id (a UUID)");
        }
    }

    /** The attr.* parameters as one filter per attribute; every refusal names the parameter at fault. */
    private static List<AttributeFilter> attributeFilters(MultiValueMap<String, String> parameters) {
        Map<String, String[]> byName = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            Matcher matcher = ATTRIBUTE_PARAMETER.matcher(parameter.getKey());
            if (!matcher.matches()) {
                continue;
            }
            String name = matcher.group(1);
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw Problems.badRequest(truncated(parameter.getKey()), "must name an attribute: lower-case letters, "
                        + "digits, '-' and '_', up to 64");
            }
            if (parameter.getValue().size() != 1) {
                throw Problems.badRequest(parameter.getKey(), "must be given once");
            }
            String value = parameter.getValue().get(0);
            String[] filter = byName.computeIfAbsent(name, n -> new String[3]);
            String bound = matcher.group(2);
            filter[bound == null ? 0 : bound.equals(".min") ? 1 : 2] = value;
        }
        if (byName.size() > MAX_ATTRIBUTE_FILTERS) {
            throw Problems.badRequest("attr", "at most " + MAX_ATTRIBUTE_FILTERS + " attributes may be filtered on");
        }
        List<AttributeFilter> filters = new ArrayList<>();
        byName.forEach((name, filter) -> {
            if (filter[0] != null && filter[0].isBlank()) {
                throw Problems.badRequest("attr." + name, "must not be blank");
            }
            filters.add(new AttributeFilter(name, filter[0] == null ? null : filter[0].strip(),
                    bound(filter[1], "attr." + name + ".min"), bound(filter[2], "attr." + name + ".max")));
        });
        return filters;
    }

    private static BigDecimal bound(String value, String parameter) {
        if (value == null) {
            return null;
        }
        BigDecimal number;
        try {
            number = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            throw Problems.badRequest(parameter, "must be a decimal number");
        }
        if (number.abs().compareTo(NUMBER_LIMIT) >= 0 || number.stripTrailingZeros().scale() > 6) {
            throw Problems.badRequest(parameter, "must be less than 10^15 in size, with at most 6 decimals");
        }
        return number;
    }

    /** A parameter name as a field: bounded, so an oversized name is not echoed back whole. */
    private static String truncated(String name) {
        return name.length() <= 80 ? name : name.substring(0, 80) + "...";
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
