package org.orderly.command.catalog;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.List;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.catalog.AddProductCommand;
import org.orderly.api.catalog.CategorizeProductCommand;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.ProductAttribute;
import org.orderly.api.catalog.ProductAttributesSetEvent;
import org.orderly.api.catalog.ProductCategorizedEvent;
import org.orderly.api.catalog.SetProductAttributesCommand;
import org.orderly.api.catalog.ChangeProductPriceCommand;
import org.orderly.api.catalog.DiscontinueProductCommand;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductDiscontinuedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.ProductPriceChangedEvent;
import org.orderly.api.catalog.ProductRenamedEvent;
import org.orderly.api.catalog.RenameProductCommand;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/**
 * A product of the catalog. SKU uniqueness is a rule over all products, so the SKU is claimed in
 * {@link ProductSkuRegistry} inside the transaction that appends the event. A discontinued product
 * keeps its SKU and accepts no further change. A product is in at most one category, which must be in the
 * category tree ({@link CategoryRegistry}); its attributes are typed, and replaced as a whole.
 */
@Aggregate
class Product {

    @AggregateIdentifier
    private ProductId productId;
    private String name;
    private Money price;
    private boolean discontinued;
    private CategoryId categoryId;
    private List<ProductAttribute> attributes = List.of();

    Product() {
        // for Axon
    }

    @CommandHandler
    Product(AddProductCommand command, ProductSkuRegistry skus, CategoryRegistry categories) {
        String sku = CatalogRules.sku(command.sku());
        String name = CatalogRules.name(command.name());
        Money price = CatalogRules.price(command.price());
        int weightGrams = CatalogRules.weightGrams(command.weightGrams());
        skus.claim(sku, command.productId());
        if (command.categoryId() != null) {
            categories.assign(command.productId(), command.categoryId(), "categoryId");
        }
        apply(new ProductAddedEvent(command.productId(), sku, name, price, weightGrams));
        // A product listed in a category from the start: the same two events as one added and then categorized,
        // so every reader of the catalog follows one path.
        if (command.categoryId() != null) {
            apply(new ProductCategorizedEvent(command.productId(), command.categoryId()));
        }
    }

    @CommandHandler
    void handle(CategorizeProductCommand command, CategoryRegistry categories) {
        requireActive();
        if (command.categoryId() == null) {
            throw new RefusedException(Refusal.invalid("categoryId", "must not be null"));
        }
        if (command.categoryId().equals(categoryId)) {
            return;
        }
        categories.assign(productId, command.categoryId(), "categoryId");
        apply(new ProductCategorizedEvent(productId, command.categoryId()));
    }

    @CommandHandler
    void handle(SetProductAttributesCommand command) {
        requireActive();
        List<ProductAttribute> newAttributes = CatalogRules.attributes(command.attributes());
        if (newAttributes.equals(attributes)) {
            return;
        }
        apply(new ProductAttributesSetEvent(productId, newAttributes));
    }

    @CommandHandler
    void handle(ChangeProductPriceCommand command) {
        requireActive();
        Money newPrice = CatalogRules.price(command.price());
        if (newPrice.equals(price)) {
            return;
        }
        apply(new ProductPriceChangedEvent(productId, newPrice));
    }

    @CommandHandler
    void handle(RenameProductCommand command) {
        requireActive();
        String newName = CatalogRules.name(command.name());
        if (newName.equals(name)) {
            return;
        }
        apply(new ProductRenamedEvent(productId, newName));
    }

    @CommandHandler
    void handle(DiscontinueProductCommand command) {
        requireActive();
        apply(new ProductDiscontinuedEvent(productId));
    }

    private void requireActive() {
        if (discontinued) {
            throw new RefusedException(Refusal.conflict(null, "Product " + productId + " is discontinued"));
        }
    }

    @EventSourcingHandler
    void on(ProductAddedEvent event) {
        productId = event.productId();
        name = event.name();
        price = event.price();
    }

    @EventSourcingHandler
    void on(ProductPriceChangedEvent event) {
        price = event.price();
    }

    @EventSourcingHandler
    void on(ProductRenamedEvent event) {
        name = event.name();
    }

    @EventSourcingHandler
    void on(ProductCategorizedEvent event) {
        categoryId = event.categoryId();
    }

    @EventSourcingHandler
    void on(ProductAttributesSetEvent event) {
        attributes = List.copyOf(event.attributes());
    }

    @EventSourcingHandler
    void on(ProductDiscontinuedEvent event) {
        discontinued = true;
    }
}
