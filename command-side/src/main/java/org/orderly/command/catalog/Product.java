package org.orderly.command.catalog;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.catalog.AddProductCommand;
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
 * keeps its SKU and accepts no further change.
 */
@Aggregate
class Product {

    @AggregateIdentifier
    private ProductId productId;
    private String name;
    private Money price;
    private boolean discontinued;

    Product() {
        // for Axon
    }

    @CommandHandler
    Product(AddProductCommand command, ProductSkuRegistry skus) {
        String sku = CatalogRules.sku(command.sku());
        String name = CatalogRules.name(command.name());
        Money price = CatalogRules.price(command.price());
        int weightGrams = CatalogRules.weightGrams(command.weightGrams());
        skus.claim(sku, command.productId());
        apply(new ProductAddedEvent(command.productId(), sku, name, price, weightGrams));
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
    void on(ProductDiscontinuedEvent event) {
        discontinued = true;
    }
}
