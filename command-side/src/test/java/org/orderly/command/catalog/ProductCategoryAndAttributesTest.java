package org.orderly.command.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.command.catalog.RefusalMatchers.refusal;

import java.util.ArrayList;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.AddProductCommand;
import org.orderly.api.catalog.AttributeType;
import org.orderly.api.catalog.CategorizeProductCommand;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.ProductAddedEvent;
import org.orderly.api.catalog.ProductAttribute;
import org.orderly.api.catalog.ProductAttributesSetEvent;
import org.orderly.api.catalog.ProductCategorizedEvent;
import org.orderly.api.catalog.ProductDiscontinuedEvent;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.SetProductAttributesCommand;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;

class ProductCategoryAndAttributesTest {

    private static final Money PRICE = Money.of("12.50", "EUR");

    private final ProductId id = ProductId.newId();
    private final CategoryId pens = CategoryId.newId();
    private final CategoryId inks = CategoryId.newId();
    private final ProductTest.InMemorySkuRegistry skus = new ProductTest.InMemorySkuRegistry();
    private final InMemoryCategoryRegistry categories = new InMemoryCategoryRegistry();
    private FixtureConfiguration<Product> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Product.class);
        fixture.registerInjectableResource(skus);
        fixture.registerInjectableResource(categories);
        categories.register(pens);
        categories.register(inks);
    }

    private ProductAddedEvent added() {
        return new ProductAddedEvent(id, "PEN-01", "Pen", PRICE, 40);
    }

    @Test
    void aProductAddedInACategoryIsAddedThenCategorizedAndRegisteredThere() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "pen-01", "Pen", PRICE, 40, pens))
                .expectEvents(added(), new ProductCategorizedEvent(id, pens));
        assertThat(categories.products).containsEntry(id, pens);
    }

    @Test
    void aProductAddedInACategoryThatDoesNotExistIsUnprocessableAndClaimsNothing() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "PEN-01", "Pen", PRICE, 40, CategoryId.newId()))
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "categoryId"))
                .expectNoEvents();
        assertThat(categories.products).isEmpty();
    }

    @Test
    void aProductAddedWithoutCategoryHasOnlyItsAddedEvent() {
        fixture.givenNoPriorActivity()
                .when(new AddProductCommand(id, "PEN-01", "Pen", PRICE, 40))
                .expectEvents(added());
    }

    @Test
    void categorizingMovesTheProductToTheNewCategory() {
        categories.assign(id, pens, "categoryId");
        fixture.given(added(), new ProductCategorizedEvent(id, pens))
                .when(new CategorizeProductCommand(id, inks, null))
                .expectEvents(new ProductCategorizedEvent(id, inks));
        assertThat(categories.products).containsEntry(id, inks);
    }

    @Test
    void categorizingIntoTheCategoryItIsInAddsNothing() {
        fixture.given(added(), new ProductCategorizedEvent(id, pens))
                .when(new CategorizeProductCommand(id, pens, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void categorizingIntoACategoryThatDoesNotExistIsUnprocessable() {
        fixture.given(added())
                .when(new CategorizeProductCommand(id, CategoryId.newId(), null))
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "categoryId"))
                .expectNoEvents();
    }

    @Test
    void categorizingWithoutACategoryIsInvalid() {
        fixture.given(added())
                .when(new CategorizeProductCommand(id, null, null))
                .expectException(refusal(Refusal.Kind.INVALID, "categoryId"))
                .expectNoEvents();
    }

    @Test
    void aDiscontinuedProductIsNeitherCategorizedNorGivenAttributes() {
        fixture.given(added(), new ProductDiscontinuedEvent(id))
                .when(new CategorizeProductCommand(id, pens, null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        fixture.given(added(), new ProductDiscontinuedEvent(id))
                .when(new SetProductAttributesCommand(id, List.of(), null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void attributesAreKeptSortedByLowerCaseNameWithCanonicalValues() {
        fixture.given(added())
                .when(new SetProductAttributesCommand(id, List.of(
                        new ProductAttribute("Weight", AttributeType.NUMBER, " 12.500 "),
                        new ProductAttribute("color", AttributeType.TEXT, " blue "),
                        new ProductAttribute("refillable", AttributeType.BOOLEAN, "TRUE"),
                        new ProductAttribute("pack", AttributeType.NUMBER, "1E+2")), null))
                .expectEvents(new ProductAttributesSetEvent(id, List.of(
                        new ProductAttribute("color", AttributeType.TEXT, "blue"),
                        new ProductAttribute("pack", AttributeType.NUMBER, "100"),
                        new ProductAttribute("refillable", AttributeType.BOOLEAN, "true"),
                        new ProductAttribute("weight", AttributeType.NUMBER, "12.5"))));
    }

    @Test
    void theSameAttributesAgainAddNothing() {
        List<ProductAttribute> attributes = List.of(new ProductAttribute("color", AttributeType.TEXT, "blue"));
        fixture.given(added(), new ProductAttributesSetEvent(id, attributes))
                .when(new SetProductAttributesCommand(id, List.of(new ProductAttribute("COLOR", AttributeType.TEXT, "blue ")), null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anEmptyListRemovesEveryAttribute() {
        fixture.given(added(), new ProductAttributesSetEvent(id, List.of(new ProductAttribute("color", AttributeType.TEXT, "blue"))))
                .when(new SetProductAttributesCommand(id, List.of(), null))
                .expectEvents(new ProductAttributesSetEvent(id, List.of()));
    }

    @Test
    void aNumberAttributeThatIsNoNumberIsRefusedNamingItsValue() {
        fixture.given(added())
                .when(new SetProductAttributesCommand(id, List.of(
                        new ProductAttribute("color", AttributeType.TEXT, "blue"),
                        new ProductAttribute("weight", AttributeType.NUMBER, "abc")), null))
                .expectException(refusal(Refusal.Kind.INVALID, "attributes[1].value"))
                .expectNoEvents();
    }

    @Test
    void aNumberBeyondItsBoundsOrWithTooManyDecimalsIsRefused() {
        for (String value : List.of("1e15", "-1000000000000000", "0.0000001", "1e-999999999", "1e2147483647")) {
            fixture.given(added())
                    .when(new SetProductAttributesCommand(id, List.of(
                            new ProductAttribute("weight", AttributeType.NUMBER, value)), null))
                    .expectException(refusal(Refusal.Kind.INVALID, "attributes[0].value"))
                    .expectNoEvents();
        }
    }

    @Test
    void aBooleanAttributeThatIsNeitherTrueNorFalseIsRefused() {
        fixture.given(added())
                .when(new SetProductAttributesCommand(id, List.of(
                        new ProductAttribute("refillable", AttributeType.BOOLEAN, "yes")), null))
                .expectException(refusal(Refusal.Kind.INVALID, "attributes[0].value"))
                .expectNoEvents();
    }

    @Test
    void aBadOrRepeatedNameOrAMissingTypeIsRefusedNamingIt() {
        fixture.given(added())
                .when(new SetProductAttributesCommand(id, List.of(
                        new ProductAttribute("nib.size", AttributeType.TEXT, "fine")), null))
                .expectException(refusal(Refusal.Kind.INVALID, "attributes[0].name"))
                .expectNoEvents();
        fixture.given(added())
                .when(new SetProductAttributesCommand(id, List.of(
                        new ProductAttribute("color", AttributeType.TEXT, "blue"),
                        new ProductAttribute("Color", AttributeType.TEXT, "red")), null))
                .expectException(refusal(Refusal.Kind.INVALID, "attributes[1].name"))
                .expectNoEvents();
        fixture.given(added())
                .when(new SetProductAttributesCommand(id, List.of(new ProductAttribute("color", null, "blue")), null))
                .expectException(refusal(Refusal.Kind.INVALID, "attributes[0].type"))
                .expectNoEvents();
    }

    @Test
    void aTextTooLongOrBlankIsRefused() {
        for (String value : List.of("x".repeat(201), "  ")) {
            fixture.given(added())
                    .when(new SetProductAttributesCommand(id, List.of(
                            new ProductAttribute("color", AttributeType.TEXT, value)), null))
                    .expectException(refusal(Refusal.Kind.INVALID, "attributes[0].value"))
                    .expectNoEvents();
        }
    }

    @Test
    void moreThanFiftyAttributesAreRefused() {
        List<ProductAttribute> many = new ArrayList<>();
        for (int i = 0; i <= CatalogRules.MAX_ATTRIBUTES; i++) {
            many.add(new ProductAttribute("a" + i, AttributeType.BOOLEAN, "true"));
        }
        fixture.given(added())
                .when(new SetProductAttributesCommand(id, many, null))
                .expectException(refusal(Refusal.Kind.INVALID, "attributes"))
                .expectNoEvents();
    }
}
