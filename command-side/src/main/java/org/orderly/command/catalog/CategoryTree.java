package org.orderly.command.catalog;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;
import org.orderly.api.catalog.CategoryCreatedEvent;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.CategoryMovedEvent;
import org.orderly.api.catalog.CategoryRenamedEvent;
import org.orderly.api.catalog.CategoryRetiredEvent;
import org.orderly.api.catalog.CategoryTreeId;
import org.orderly.api.catalog.CreateCategoryCommand;
import org.orderly.api.catalog.MoveCategoryCommand;
import org.orderly.api.catalog.RenameCategoryCommand;
import org.orderly.api.catalog.RetireCategoryCommand;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/**
 * The catalog's whole category tree, as one aggregate. "No cycles" is a rule over the tree, not over one category:
 * whether moving A under B makes a cycle depends on B's ancestors, which other moves change. Deciding every
 * change of the tree in one aggregate makes the rule hold by construction: its commands run one at a time on a
 * node (Axon's lock per aggregate), and two nodes that decide at once both try to append the tree's next sequence
 * number, which the event store's unique key lets only one of them do; the other's command is retried on the
 * tree as the winner left it ({@code CommandConflicts}), and refused if it would now make a cycle. So of two
 * concurrent moves "A under B" and "B under A", exactly one is stored.
 * <p>
 * One aggregate serialises all tree changes, which a catalog's tree can afford: categories change at staff pace,
 * and the tree is loaded from its events (a few per category) at each change. Products are not part of it: the
 * rules joining them to categories (a product's category exists; a category with products is not retired) are
 * kept by {@link CategoryRegistry} in the command's transaction.
 * <p>
 * Sibling names are unique (ignoring case), so a shop front's path of names names one category.
 */
@Aggregate
class CategoryTree {

    /** What the tree knows of each category: its parent (null for a root) and name. */
    private record Node(CategoryId parent, String name) {
    }

    @AggregateIdentifier
    private CategoryTreeId treeId;
    private final Map<CategoryId, Node> nodes = new HashMap<>();

    CategoryTree() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(CreateCategoryCommand command, CategoryRegistry registry) {
        if (nodes.containsKey(command.categoryId())) {
            throw new RefusedException(Refusal.conflict(null, "Category " + command.categoryId() + " already exists"));
        }
        String name = CatalogRules.name(command.name());
        CategoryId parent = command.parentId();
        if (parent != null && !nodes.containsKey(parent)) {
            throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "parentId",
                    "Category " + parent + " does not exist"));
        }
        requireUniqueAmongSiblings(parent, name, command.categoryId());
        registry.register(command.categoryId());
        apply(new CategoryCreatedEvent(command.categoryId(), name, parent));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RenameCategoryCommand command) {
        Node node = existing(command.categoryId());
        String name = CatalogRules.name(command.name());
        if (name.equals(node.name())) {
            return;
        }
        requireUniqueAmongSiblings(node.parent(), name, command.categoryId());
        apply(new CategoryRenamedEvent(command.categoryId(), name));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(MoveCategoryCommand command) {
        Node node = existing(command.categoryId());
        CategoryId parent = command.parentId();
        if (Objects.equals(parent, node.parent())) {
            return;
        }
        if (parent != null) {
            if (!nodes.containsKey(parent)) {
                throw new RefusedException(new Refusal(Refusal.Kind.UNPROCESSABLE, "parentId",
                        "Category " + parent + " does not exist"));
            }
            // Walking up from the new parent: meeting the moved category means it would sit under itself.
            for (CategoryId up = parent; up != null; up = nodes.get(up).parent()) {
                if (up.equals(command.categoryId())) {
                    throw new RefusedException(Refusal.conflict("parentId", parent.equals(command.categoryId())
                            ? "A category cannot be its own parent"
                            : "Category " + parent + " is under " + command.categoryId()
                                    + ": moving it there would make a cycle"));
                }
            }
        }
        requireUniqueAmongSiblings(parent, node.name(), command.categoryId());
        apply(new CategoryMovedEvent(command.categoryId(), parent));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    void handle(RetireCategoryCommand command, CategoryRegistry registry) {
        existing(command.categoryId());
        long children = nodes.values().stream().filter(n -> command.categoryId().equals(n.parent())).count();
        if (children > 0) {
            throw new RefusedException(Refusal.conflict(null, "Category " + command.categoryId() + " still has "
                    + children + " sub-categor" + (children == 1 ? "y" : "ies")
                    + ": move or retire them first"));
        }
        registry.retire(command.categoryId());
        apply(new CategoryRetiredEvent(command.categoryId()));
    }

    private Node existing(CategoryId categoryId) {
        Node node = nodes.get(categoryId);
        if (node == null) {
            throw new RefusedException(Refusal.notFound("Category " + categoryId + " does not exist"));
        }
        return node;
    }

    private void requireUniqueAmongSiblings(CategoryId parent, String name, CategoryId self) {
        String key = name.toLowerCase(Locale.ROOT);
        boolean taken = nodes.entrySet().stream().anyMatch(e -> !e.getKey().equals(self)
                && Objects.equals(e.getValue().parent(), parent)
                && e.getValue().name().toLowerCase(Locale.ROOT).equals(key));
        if (taken) {
            throw new RefusedException(Refusal.conflict("name", (parent == null ? "A root category" : "A category under "
                    + parent) + " is already named " + name));
        }
    }

    @EventSourcingHandler
    void on(CategoryCreatedEvent event) {
        treeId = CategoryTreeId.CATALOG;
        nodes.put(event.categoryId(), new Node(event.parentId(), event.name()));
    }

    @EventSourcingHandler
    void on(CategoryRenamedEvent event) {
        nodes.computeIfPresent(event.categoryId(), (id, node) -> new Node(node.parent(), event.name()));
    }

    @EventSourcingHandler
    void on(CategoryMovedEvent event) {
        nodes.computeIfPresent(event.categoryId(), (id, node) -> new Node(event.parentId(), node.name()));
    }

    @EventSourcingHandler
    void on(CategoryRetiredEvent event) {
        nodes.remove(event.categoryId());
    }
}
