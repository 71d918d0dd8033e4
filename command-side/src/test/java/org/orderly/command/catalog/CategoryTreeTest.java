package org.orderly.command.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.command.catalog.RefusalMatchers.refusal;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.catalog.CategoryCreatedEvent;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.CategoryMovedEvent;
import org.orderly.api.catalog.CategoryRenamedEvent;
import org.orderly.api.catalog.CategoryRetiredEvent;
import org.orderly.api.catalog.CategoryTreeId;
import org.orderly.api.catalog.CreateCategoryCommand;
import org.orderly.api.catalog.MoveCategoryCommand;
import org.orderly.api.catalog.ProductId;
import org.orderly.api.catalog.RenameCategoryCommand;
import org.orderly.api.catalog.RetireCategoryCommand;
import org.orderly.api.common.Refusal;

class CategoryTreeTest {

    private final InMemoryCategoryRegistry registry = new InMemoryCategoryRegistry();
    private final CategoryId pens = CategoryId.newId();
    private final CategoryId fountain = CategoryId.newId();
    private final CategoryId nibs = CategoryId.newId();
    private final CategoryId paper = CategoryId.newId();
    private FixtureConfiguration<CategoryTree> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(CategoryTree.class);
        fixture.registerInjectableResource(registry);
    }

    /** Pens > Fountain pens > Nibs, and Paper beside Pens. */
    private Object[] tree() {
        return new Object[] {
                new CategoryCreatedEvent(pens, "Pens", null),
                new CategoryCreatedEvent(fountain, "Fountain pens", pens),
                new CategoryCreatedEvent(nibs, "Nibs", fountain),
                new CategoryCreatedEvent(paper, "Paper", null)};
    }

    @Test
    void theFirstCategoryStartsTheTreeWithAStrippedNameAndIsRegistered() {
        fixture.givenNoPriorActivity()
                .when(new CreateCategoryCommand(pens, "  Pens ", null))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new CategoryCreatedEvent(pens, "Pens", null));
        assertThat(registry.categories).containsExactly(pens);
    }

    @Test
    void aCategoryIsCreatedUnderAnExistingParent() {
        fixture.given(new CategoryCreatedEvent(pens, "Pens", null))
                .when(new CreateCategoryCommand(fountain, "Fountain pens", pens))
                .expectEvents(new CategoryCreatedEvent(fountain, "Fountain pens", pens));
    }

    @Test
    void aCategoryUnderAParentThatDoesNotExistIsUnprocessableNamingParentId() {
        fixture.given(new CategoryCreatedEvent(pens, "Pens", null))
                .when(new CreateCategoryCommand(fountain, "Fountain pens", CategoryId.newId()))
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "parentId"))
                .expectNoEvents();
        assertThat(registry.categories).isEmpty();
    }

    @Test
    void aBlankNameIsRefusedNamingTheField() {
        fixture.givenNoPriorActivity()
                .when(new CreateCategoryCommand(pens, "  ", null))
                .expectException(refusal(Refusal.Kind.INVALID, "name"))
                .expectNoEvents();
    }

    @Test
    void aSiblingWithTheSameNameWhateverItsCaseIsAConflict() {
        fixture.given(tree())
                .when(new CreateCategoryCommand(CategoryId.newId(), "fountain PENS", pens))
                .expectException(refusal(Refusal.Kind.CONFLICT, "name"))
                .expectNoEvents();
    }

    @Test
    void theSameNameUnderAnotherParentIsAllowed() {
        CategoryId other = CategoryId.newId();
        fixture.given(tree())
                .when(new CreateCategoryCommand(other, "Nibs", paper))
                .expectEvents(new CategoryCreatedEvent(other, "Nibs", paper));
    }

    @Test
    void creatingAnIdThatExistsIsAConflict() {
        fixture.given(tree())
                .when(new CreateCategoryCommand(nibs, "Other", null))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void renamingRecordsTheNewNameAndTheSameNameAgainAddsNothing() {
        fixture.given(tree())
                .when(new RenameCategoryCommand(nibs, " Gold nibs "))
                .expectEvents(new CategoryRenamedEvent(nibs, "Gold nibs"));
        fixture.given(tree())
                .when(new RenameCategoryCommand(nibs, "Nibs"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void renamingToASiblingsNameIsAConflict() {
        fixture.given(tree())
                .when(new RenameCategoryCommand(paper, "pens"))
                .expectException(refusal(Refusal.Kind.CONFLICT, "name"))
                .expectNoEvents();
    }

    @Test
    void renamingACategoryThatDoesNotExistIsNotFoundEvenInAnEmptyTree() {
        fixture.givenNoPriorActivity()
                .when(new RenameCategoryCommand(CategoryId.newId(), "Ghost"))
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
    }

    @Test
    void movingACategoryUnderAnotherRecordsTheMove() {
        fixture.given(tree())
                .when(new MoveCategoryCommand(fountain, paper))
                .expectEvents(new CategoryMovedEvent(fountain, paper));
    }

    @Test
    void movingACategoryToTheRootRecordsAMoveWithoutParent() {
        fixture.given(tree())
                .when(new MoveCategoryCommand(nibs, null))
                .expectEvents(new CategoryMovedEvent(nibs, null));
    }

    @Test
    void movingWhereItAlreadyIsAddsNothing() {
        fixture.given(tree())
                .when(new MoveCategoryCommand(nibs, fountain))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void movingACategoryUnderItselfIsACycleConflict() {
        fixture.given(tree())
                .when(new MoveCategoryCommand(pens, pens))
                .expectException(refusal(Refusal.Kind.CONFLICT, "parentId"))
                .expectNoEvents();
    }

    @Test
    void movingACategoryUnderItsGrandchildIsACycleConflict() {
        fixture.given(tree())
                .when(new MoveCategoryCommand(pens, nibs))
                .expectException(refusal(Refusal.Kind.CONFLICT, "parentId"))
                .expectNoEvents();
    }

    @Test
    void aMoveThatWasACycleOnlyBeforeAnEarlierMoveIsDecidedOnTheTreeAsItIsNow() {
        // Nibs left Fountain pens for the root: Pens may now go under Nibs.
        fixture.given(tree())
                .andGiven(new CategoryMovedEvent(nibs, null))
                .when(new MoveCategoryCommand(pens, nibs))
                .expectEvents(new CategoryMovedEvent(pens, nibs));
    }

    @Test
    void theSecondOfTwoCrossingMovesIsRefusedAsACycle() {
        // Paper went under Nibs; moving Fountain pens (above Nibs) under Paper would close a loop.
        fixture.given(tree())
                .andGiven(new CategoryMovedEvent(paper, nibs))
                .when(new MoveCategoryCommand(fountain, paper))
                .expectException(refusal(Refusal.Kind.CONFLICT, "parentId"))
                .expectNoEvents();
    }

    @Test
    void movingUnderAParentThatDoesNotExistIsUnprocessable() {
        fixture.given(tree())
                .when(new MoveCategoryCommand(nibs, CategoryId.newId()))
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "parentId"))
                .expectNoEvents();
    }

    @Test
    void movingNextToASiblingWithTheSameNameIsAConflict() {
        CategoryId otherNibs = CategoryId.newId();
        fixture.given(tree())
                .andGiven(new CategoryCreatedEvent(otherNibs, "nibs", paper))
                .when(new MoveCategoryCommand(nibs, paper))
                .expectException(refusal(Refusal.Kind.CONFLICT, "name"))
                .expectNoEvents();
    }

    @Test
    void movingACategoryThatDoesNotExistIsNotFound() {
        fixture.given(tree())
                .when(new MoveCategoryCommand(CategoryId.newId(), null))
                .expectException(refusal(Refusal.Kind.NOT_FOUND, null))
                .expectNoEvents();
    }

    @Test
    void anEmptyLeafIsRetiredAndLeavesTheRegistry() {
        registry.register(nibs);
        fixture.given(tree())
                .when(new RetireCategoryCommand(nibs))
                .expectEvents(new CategoryRetiredEvent(nibs));
        assertThat(registry.categories).doesNotContain(nibs);
    }

    @Test
    void aCategoryWithSubCategoriesIsNotRetired() {
        fixture.given(tree())
                .when(new RetireCategoryCommand(fountain))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
    }

    @Test
    void aCategoryWithProductsIsNotRetired() {
        registry.register(nibs);
        registry.assign(ProductId.newId(), nibs, "categoryId");
        fixture.given(tree())
                .when(new RetireCategoryCommand(nibs))
                .expectException(refusal(Refusal.Kind.CONFLICT, null))
                .expectNoEvents();
        assertThat(registry.categories).contains(nibs);
    }

    @Test
    void aRetiredCategoryIsGoneForLaterCommands() {
        fixture.given(tree())
                .andGiven(new CategoryRetiredEvent(nibs))
                .when(new MoveCategoryCommand(paper, nibs))
                .expectException(refusal(Refusal.Kind.UNPROCESSABLE, "parentId"))
                .expectNoEvents();
    }

    @Test
    void everyCategoryCommandGoesToTheOneTree() {
        assertThat(new MoveCategoryCommand(pens, null).treeId()).isEqualTo(CategoryTreeId.CATALOG);
        assertThat(new RetireCategoryCommand(pens).treeId()).isEqualTo(CategoryTreeId.CATALOG);
    }
}
