package org.orderly.command.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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

class ProductTest {

    private static final Money PRICE = Money.of("12.50", "EUR");

    private final ProductId id = ProductId.newId();
    private final InMemorySkuRegistry skus = new InMemorySkuRegistry();
    private final InMemoryCategoryRegistry categories = new InMemoryCategoryRegistry();
    private FixtureConfiguration<Product> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Product.class);
        fixture.registerInjectableResource(skus);
        fixture.registerInjectableResource(categories);
    }

    private ProductAddedEvent added() {
        return new ProductAddedEvent(id, "MUG-01", "Mug", PRICE, 350);
    }

    @Test
    void addingAProductRecordsANormalisedSkuAndNameAndClaimsTheSku() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "  mug-01 ", " Mug ", PRICE, 350))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ProductAddedEvent(id, "MUG-01", "Mug", PRICE, 350));
        assertThat(skus.holder("MUG-01")).isEqualTo(id);
    }

    @Test
    void addingWithASkuAnotherProductHoldsIsRefusedAsAConflictWhateverItsCase() {
        skus.claim("MUG-01", ProductId.newId());
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "Mug-01", "Mug", PRICE, 350))
                .expectException(refusal(Refusal.Kind.CONFLICT, "sku"))
                .expectNoEvents();
    }

    @Test
    void addingWithABlankSkuIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "  ", "Mug", PRICE, 350))
                .expectException(refusal(Refusal.Kind.INVALID, "sku"))
                .expectNoEvents();
        assertThat(skus.holders).isEmpty();
    }

    @Test
    void addingWithASkuContainingWhitespaceOrTooLongIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG 01", "Mug", PRICE, 350))
                .expectException(refusal(Refusal.Kind.INVALID, "sku"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "M".repeat(CatalogRules.MAX_SKU + 1), "Mug", PRICE, 350))
                .expectException(refusal(Refusal.Kind.INVALID, "sku"))
                .expectNoEvents();
    }

    @Test
    void addingWithABlankNameIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG-01", " ", PRICE, 350))
                .expectException(refusal(Refusal.Kind.INVALID, "name"))
                .expectNoEvents();
    }

    @Test
    void addingWithAZeroOrNegativePriceIsRefusedNamingThePrice() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG-01", "Mug", Money.of("0", "EUR"), 350))
                .expectException(refusal(Refusal.Kind.INVALID, "price"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG-01", "Mug", Money.of("-1.00", "EUR"), 350))
                .expectException(refusal(Refusal.Kind.INVALID, "price"))
                .expectNoEvents();
    }

    @Test
    void addingWithAPriceAtTheLimitOrInACurrencyWithoutMinorUnitIsRefused() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG-01", "Mug", Money.of(CatalogRules.PRICE_LIMIT, "EUR"), 350))
                .expectException(refusal(Refusal.Kind.INVALID, "price"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG-01", "Mug", Money.of("1", "XAU"), 350))
                .expectException(refusal(Refusal.Kind.INVALID, "price"))
                .expectNoEvents();
    }

    @Test
    void addingWithoutAPositiveWeightIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG-01", "Mug", PRICE, 0))
                .expectException(refusal(Refusal.Kind.INVALID, "weightGrams"))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "MUG-01", "Mug", PRICE, -5))
                .expectException(refusal(Refusal.Kind.INVALID, "weightGrams"))
                .expectNoEvents();
    }

    @Test
    void changingThePriceRecordsTheNewPrice() {
        fixture.given(added())
                .when(new ChangeProductPriceCommand(id, Money.of("9.99", "EUR"), null))
                .expectEvents(new ProductPriceChangedEvent(id, Money.of("9.99", "EUR")));
    }

    @Test
    void changingThePriceToAnEqualAmountChangesNothing() {
        fixture.given(added())
                .when(new ChangeProductPriceCommand(id, Money.of("12.5", "EUR"), null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void changingThePriceToZeroIsRefused() {
        fixture.given(added())
                .when(new ChangeProductPriceCommand(id, Money.of("0.00", "EUR"), null))
                .expectException(refusal(Refusal.Kind.INVALID, "price"))
                .expectNoEvents();
    }

    @Test
    void renamingRecordsTheStrippedName() {
        fixture.given(added())
                .when(new RenameProductCommand(id, "  Big mug ", null))
                .expectEvents(new ProductRenamedEvent(id, "Big mug"));
    }

    @Test
    void renamingToTheSameNameChangesNothingAndToABlankNameIsRefused() {
        fixture.given(added())
                .when(new RenameProductCommand(id, "Mug", null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        fixture.given(added())
                .when(new RenameProductCommand(id, "", null))
                .expectException(refusal(Refusal.Kind.INVALID, "name"))
                .expectNoEvents();
    }

    @Test
    void discontinuingAnActiveProductRecordsIt() {
        fixture.given(added())
                .when(new DiscontinueProductCommand(id, null))
                .expectEvents(new ProductDiscontinuedEvent(id));
    }

    @Test
    void discontinuingTwiceIsRefusedAsAConflict() {
        fixture.given(added(), new ProductDiscontinuedEvent(id))
                .when(new DiscontinueProductCommand(id, null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void changingThePriceOfADiscontinuedProductIsRefusedAsAConflict() {
        fixture.given(added(), new ProductDiscontinuedEvent(id))
                .when(new ChangeProductPriceCommand(id, Money.of("9.99", "EUR"), null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void renamingADiscontinuedProductIsRefusedAsAConflict() {
        fixture.given(added(), new ProductDiscontinuedEvent(id))
                .when(new RenameProductCommand(id, "Big mug", null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aCommandCarryingAStaleVersionIsRefused() {
        fixture.given(added(), new ProductRenamedEvent(id, "Big mug"))
                .when(new RenameProductCommand(id, "Bigger mug", 0L))
                .expectException(ConflictingAggregateVersionException.class)
                .expectNoEvents();
    }

    @Test
    void aCommandCarryingTheCurrentVersionIsAccepted() {
        fixture.given(added(), new ProductRenamedEvent(id, "Big mug"))
                .when(new ChangeProductPriceCommand(id, Money.of("14.00", "EUR"), 1L))
                .expectEvents(new ProductPriceChangedEvent(id, Money.of("14.00", "EUR")));
    }

    @Test
    void changingAProductThatWasNeverAddedFailsAsNotFound() {
        fixture.givenNoPriorActivity()
                .when(new DiscontinueProductCommand(id, null))
                .expectException(AggregateNotFoundException.class)
                .expectNoEvents();
    }

    private static Matcher<RefusedException> refusal(Refusal.Kind kind, String field) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(RefusedException e) {
                return e.refusal().kind() == kind && Objects.equals(e.refusal().field(), field);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a " + kind + " refusal of field " + field);
            }
        };
    }

    /** The registry's rule, without its table: the JDBC registry is covered against PostgreSQL in CatalogApiIT. */
    static final class InMemorySkuRegistry implements ProductSkuRegistry {
        private final Map<String, ProductId> holders = new HashMap<>();

        @Override
        public void claim(String sku, ProductId productId) {
            ProductId holder = holders.putIfAbsent(sku, productId);
            if (holder != null && !holder.equals(productId)) {
                throw new RefusedException(Refusal.conflict("sku", "SKU " + sku + " is already in use"));
            }
        }

        ProductId holder(String sku) {
            return holders.get(sku);
        }
    }
}
