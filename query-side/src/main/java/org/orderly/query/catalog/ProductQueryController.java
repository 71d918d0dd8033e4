package org.orderly.query.catalog;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

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
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Catalog queries over HTTP, answered from the catalog domain's read model. */
@RestController
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

    record ProductListResponse(List<ProductResponse> items, String nextCursor) {
    }

    @GetMapping("/{productId}")
    ResponseEntity<ProductResponse> get(@PathVariable UUID productId) {
        ProductView view = queries.query(new FindProductQuery(new ProductId(productId)),
                ResponseTypes.instanceOf(ProductView.class)).join();
        if (view == null) {
            throw Problems.notFound("Product " + productId);
        }
        return ETags.ok(view.version()).body(ProductResponse.of(view));
    }

    @GetMapping
    ProductListResponse list(@RequestParam(required = false) Integer limit,
                             @RequestParam(required = false) String cursor,
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
