package org.orderly.command.catalog;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.catalog.CategoryId;
import org.orderly.api.catalog.CreateCategoryCommand;
import org.orderly.api.catalog.MoveCategoryCommand;
import org.orderly.api.catalog.RenameCategoryCommand;
import org.orderly.api.catalog.RetireCategoryCommand;
import org.orderly.config.web.ProblemJson;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Category tree commands over HTTP. Each call waits for the change to be stored, or refused. The tree decides
 * every change as one aggregate ({@link CategoryTree}), so these calls take no If-Match: a category's version
 * would not tell a client whether the change it sends still fits the tree, and the tree checks that itself.
 */
@RestController
@Tag(name = "Categories", description = "The catalog's category tree: public to read, staff to change")
@RequestMapping("/api/categories")
class CategoryCommandController {

    private static final String NOT_FOUND = """
            {"type": "about:blank", "title": "Not Found", "status": 404,
             "detail": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 does not exist",
             "instance": "/api/categories/0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10"}""";
    private static final String NAME_TAKEN = """
            {"type": "about:blank", "title": "Conflict", "status": 409,
             "detail": "A root category is already named Pens",
             "instance": "/api/categories",
             "errors": [{"field": "name", "reason": "A root category is already named Pens"}]}""";
    private static final String NO_PARENT = """
            {"type": "about:blank", "title": "Unprocessable Entity", "status": 422,
             "detail": "Category 7c9e6679-7425-40de-944b-e07fc1f90ae7 does not exist",
             "instance": "/api/categories",
             "errors": [{"field": "parentId", "reason": "Category 7c9e6679-7425-40de-944b-e07fc1f90ae7 does not exist"}]}""";

    private final CommandGateway commands;

    CategoryCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    record CreateCategoryRequest(
            @Schema(description = "Unique among its siblings, ignoring case", example = "Fountain pens")
            @NotBlank @Size(max = CatalogRules.MAX_NAME) String name,
            @Schema(types = {"string", "null"}, format = "uuid",
                    description = "The parent category; absent or null for a root category")
            UUID parentId) {
    }

    record RenameCategoryRequest(@NotBlank @Size(max = CatalogRules.MAX_NAME) String name) {
    }

    record MoveCategoryRequest(
            @Schema(types = {"string", "null"}, format = "uuid",
                    description = "The new parent category; null to make the category a root")
            UUID parentId) {
    }

    record CategoryCreated(@Schema(description = "The new category's id", format = "uuid") String categoryId) {
    }

    @Operation(operationId = "createCategory", summary = "Create a category",
            description = """
                    Staff add a category, at the root or under an existing one. Its name is unique among its \
                    siblings (ignoring case). It is listed by GET /api/categories once the catalog's read model \
                    has caught up; products can be put in it (PUT /api/products/{productId}/category) at once.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"name": "Fountain pens", "parentId": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}""")))
    @ApiResponse(responseCode = "201", description = "Created; Location is the category",
            headers = @Header(name = "Location", description = "The category: /api/categories/{categoryId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CategoryCreated.class), examples = @ExampleObject(value = """
                            {"categoryId": "0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10"}""")))
    @ApiResponse(responseCode = "400", description = "The name is blank or too long, or parentId is not a UUID",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "name: must not be blank",
                         "instance": "/api/categories",
                         "errors": [{"field": "name", "reason": "must not be blank"}]}""")))
    @ApiResponse(responseCode = "409", description = "A sibling already has this name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NAME_TAKEN)))
    @ApiResponse(responseCode = "422", description = "The parent category does not exist",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NO_PARENT)))
    @PostMapping
    ResponseEntity<CategoryCreated> create(@Valid @RequestBody CreateCategoryRequest request) {
        CategoryId id = CategoryId.newId();
        commands.sendAndWait(new CreateCategoryCommand(id, request.name(),
                request.parentId() == null ? null : new CategoryId(request.parentId())));
        return ResponseEntity.created(URI.create("/api/categories/" + id)).body(new CategoryCreated(id.toString()));
    }

    @Operation(operationId = "renameCategory", summary = "Rename a category",
            description = "The new name is unique among the category's siblings (ignoring case).")
    @ApiResponse(responseCode = "204", description = "Renamed (or already so named)")
    @ApiResponse(responseCode = "400", description = "The name is blank or too long",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "name: must not be blank",
                         "instance": "/api/categories/0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10/name",
                         "errors": [{"field": "name", "reason": "must not be blank"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such category",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "A sibling already has this name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NAME_TAKEN)))
    @PutMapping("/{categoryId}/name")
    ResponseEntity<Void> rename(@PathVariable UUID categoryId, @Valid @RequestBody RenameCategoryRequest request) {
        commands.sendAndWait(new RenameCategoryCommand(new CategoryId(categoryId), request.name()));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "moveCategory", summary = "Move a category under another, or to the root",
            description = """
                    The category moves with everything under it. A move under the category itself or under one \
                    of its descendants would make a cycle and is refused (409), however many moves run at once: \
                    the tree decides them one after the other.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"parentId": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}""")))
    @ApiResponse(responseCode = "204", description = "Moved (or already there)")
    @ApiResponse(responseCode = "400", description = "parentId is not a UUID",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "parentId has the wrong type or format",
                         "instance": "/api/categories/0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10/parent",
                         "errors": [{"field": "parentId", "reason": "has the wrong type or format"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such category",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "The move would make a cycle, or a sibling there has the same name",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "Category 7c9e6679-7425-40de-944b-e07fc1f90ae7 is under 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10: moving it there would make a cycle",
                         "instance": "/api/categories/0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10/parent",
                         "errors": [{"field": "parentId", "reason": "Category 7c9e6679-7425-40de-944b-e07fc1f90ae7 is under 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10: moving it there would make a cycle"}]}""")))
    @ApiResponse(responseCode = "422", description = "The new parent does not exist",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NO_PARENT)))
    @PutMapping("/{categoryId}/parent")
    ResponseEntity<Void> move(@PathVariable UUID categoryId, @Valid @RequestBody MoveCategoryRequest request) {
        commands.sendAndWait(new MoveCategoryCommand(new CategoryId(categoryId),
                request.parentId() == null ? null : new CategoryId(request.parentId())));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "retireCategory", summary = "Remove an empty category",
            description = """
                    Only a category without sub-categories and without products can go: move or retire its \
                    sub-categories and move its products to another category first. Products are never left \
                    pointing at a category that is gone.""")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", description = "No such category",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND)))
    @ApiResponse(responseCode = "409", description = "The category still has sub-categories or products",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "children", summary = "Sub-categories remain", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 still has 2 sub-categories: move or retire them first",
                             "instance": "/api/categories/0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10"}"""),
                    @ExampleObject(name = "products", summary = "Products remain", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Category 0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10 still has 1 product: move them to another category first",
                             "instance": "/api/categories/0b7d6c1e-3f7a-4a52-9c1e-2d4f6a8b9c10"}""")}))
    @DeleteMapping("/{categoryId}")
    ResponseEntity<Void> retire(@PathVariable UUID categoryId) {
        commands.sendAndWait(new RetireCategoryCommand(new CategoryId(categoryId)));
        return ResponseEntity.noContent().build();
    }
}
