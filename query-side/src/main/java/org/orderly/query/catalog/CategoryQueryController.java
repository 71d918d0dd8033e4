package org.orderly.query.catalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.catalog.CategoryFamily;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.CategoryView;
import org.orderly.api.catalog.FindCategoriesQuery;
import org.orderly.api.catalog.FindCategoryQuery;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.orderly.config.web.ReadsFrom;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The category tree over HTTP, from the catalog domain's read model. The whole tree is one answer: a shop front
 * draws its navigation from it in one call, and a catalog's tree is small enough not to page.
 */
@RestController
@Tag(name = "Categories")
@ReadsFrom(CategoryProjection.PROCESSING_GROUP)
@RequestMapping("/api/categories")
class CategoryQueryController {

    private final QueryGateway queries;

    CategoryQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    @Schema(description = "A category and, nested, everything under it")
    record CategoryNode(@Schema(format = "uuid") String categoryId, String name,
                        @Schema(types = {"string", "null"}, format = "uuid", description = "null for a root")
                        String parentId,
                        @Schema(description = "Its sub-categories, by name") List<CategoryNode> children) {
    }

    record CategoryTreeResponse(@Schema(description = "The root categories, by name, each with its subtree")
                                List<CategoryNode> categories) {
    }

    @Schema(description = "A category named by id and name")
    record CategoryRef(@Schema(format = "uuid") String categoryId, String name) {
        static CategoryRef of(CategoryView view) {
            return new CategoryRef(view.categoryId().toString(), view.name());
        }
    }

    record CategoryResponse(@Schema(format = "uuid") String categoryId, String name,
                            @Schema(description = "null for a root") CategoryRef parent,
                            @Schema(description = "From the root down to the parent: a breadcrumb")
                            List<CategoryRef> ancestors,
                            @Schema(description = "Its sub-categories, by name") List<CategoryRef> children) {
    }

    @Operation(operationId = "listCategories", summary = "Read the category tree",
            description = """
                    Public. The whole tree: the root categories, each with its sub-categories nested, by name. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200", description = "The tree",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CategoryTreeResponse.class), examples = @ExampleObject(value = """
                            {"categories": [{"categoryId": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Pens",
                              "parentId": null, "children": [
                                {"categoryId": "0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10", "name": "Fountain pens",
                                 "parentId": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "children": []}]}]}""")))
    @GetMapping
    CategoryTreeResponse tree() {
        List<CategoryView> all = queries.query(new FindCategoriesQuery(),
                ResponseTypes.multipleInstancesOf(CategoryView.class)).join();
        Map<CategoryId, List<CategoryView>> children = new HashMap<>();
        List<CategoryView> roots = new ArrayList<>();
        // Rows come ordered by depth, then name: each child list is in name order as it fills.
        for (CategoryView view : all) {
            if (view.parentId() == null) {
                roots.add(view);
            } else {
                children.computeIfAbsent(view.parentId(), p -> new ArrayList<>()).add(view);
            }
        }
        return new CategoryTreeResponse(roots.stream().map(root -> node(root, children)).toList());
    }

    private static CategoryNode node(CategoryView view, Map<CategoryId, List<CategoryView>> children) {
        return new CategoryNode(view.categoryId().toString(), view.name(),
                view.parentId() == null ? null : view.parentId().toString(),
                children.getOrDefault(view.categoryId(), List.of()).stream().map(c -> node(c, children)).toList());
    }

    @Operation(operationId = "getCategory", summary = "Read a category",
            description = """
                    Public. The category with its parent, its ancestors from the root (a breadcrumb) and its \
                    sub-categories. Its products: GET /api/products?category={categoryId}. Answered from the read \
                    model, which follows the commands asynchronously: a change made a moment ago may not show yet.""")
    @ApiResponse(responseCode = "200", description = "The category",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CategoryResponse.class), examples = @ExampleObject(value = """
                            {"categoryId": "0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10", "name": "Fountain pens",
                             "parent": {"categoryId": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Pens"},
                             "ancestors": [{"categoryId": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "name": "Pens"}],
                             "children": []}""")))
    @ApiResponse(responseCode = "404", description = "No such category",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 does not exist",
                         "instance": "/api/categories/0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10"}""")))
    @GetMapping("/{categoryId}")
    CategoryResponse get(@PathVariable UUID categoryId) {
        CategoryFamily family = queries.query(new FindCategoryQuery(new CategoryId(categoryId)),
                ResponseTypes.instanceOf(CategoryFamily.class)).join();
        if (family == null) {
            throw Problems.notFound("Category " + categoryId);
        }
        List<CategoryRef> ancestors = family.ancestors().stream().map(CategoryRef::of).toList();
        return new CategoryResponse(family.category().categoryId().toString(), family.category().name(),
                ancestors.isEmpty() ? null : ancestors.get(ancestors.size() - 1), ancestors,
                family.children().stream().map(CategoryRef::of).toList());
    }
}
