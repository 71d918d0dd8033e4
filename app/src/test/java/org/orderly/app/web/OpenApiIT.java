package org.orderly.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every endpoint is described in the OpenAPI document, and Swagger UI is served. */
@OrderlyIntegrationTest
class OpenApiIT {

    @LocalServerPort
    int port;

    @Test
    void theOpenApiDocumentDescribesEveryDomainsEndpoints() {
        Http.Response docs = new Http(port).get("/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("openapi").asText()).startsWith("3.");
        assertThat(docs.json().get("paths").fieldNames()).toIterable().contains(
                "/api/customers", "/api/customers/{customerId}", "/api/products", "/api/products/{productId}/price",
                "/api/inventory/{productId}/receipts", "/api/orders", "/api/orders/{orderId}/cancellation",
                "/api/payments", "/api/shipments/{shipmentId}/dispatch", "/api/notifications");
    }

    @Test
    void everyOperationDeclaresWhetherItNeedsABearerTokenAsTheRoleTableSays() {
        com.fasterxml.jackson.databind.JsonNode docs = new Http(port).get("/v3/api-docs").json();

        assertThat(docs.at("/components/securitySchemes/bearerToken/scheme").asText()).isEqualTo("bearer");
        docs.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            com.fasterxml.jackson.databind.JsonNode security = operation.getValue().get("security");
            String name = operation.getKey().toUpperCase() + " " + path.getKey();
            assertThat(security).as(name + " declares its security").isNotNull();
            boolean open = name.equals("POST /api/customers") || name.startsWith("GET /api/products")
                    || name.startsWith("GET /api/categories");
            assertThat(security.isEmpty()).as(name + " is public").isEqualTo(open);
            if (!open) {
                assertThat(operation.getValue().get("description").asText()).as(name).contains("Roles: ");
            }
        }));
    }

    /**
     * The document passes Redocly's recommended rules (every operation summarised, secured, with its 4xx answers).
     * The document is written to {@code target/openapi.json}; the linter runs from npm, as a client's tooling would.
     */
    @Test
    void theApiDocumentPassesRedoclysRecommendedRules() throws Exception {
        java.nio.file.Path document = java.nio.file.Path.of("target", "openapi.json").toAbsolutePath();
        java.nio.file.Files.writeString(document, new Http(port).get("/v3/api-docs").body());

        RedoclyLint.Result lint = RedoclyLint.run(document);

        assertThat(lint.problems()).as("Redocly's findings on " + document + ":\n" + lint.output()).isEmpty();
    }

    /**
     * Every error answer the document lists is a problem (application/problem+json, the shared Problem schema) with
     * at least one example, and every operation lists the answers the platform gives any caller of it: 429 and 503,
     * 401 where a token is needed, 403 where the role table keeps a role out.
     */
    @Test
    void everyOperationDocumentsItsErrorAnswersAsProblemsWithExamples() {
        JsonNode docs = new Http(port).get("/v3/api-docs").json();

        List<String> failures = new ArrayList<>();
        docs.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            String name = operation.getKey().toUpperCase() + " " + path.getKey();
            JsonNode responses = operation.getValue().get("responses");
            List<String> expected = new ArrayList<>(List.of("429", "503"));
            if (!operation.getValue().get("security").isEmpty()) {
                expected.add("401");
                expected.add("403");
            }
            expected.stream().filter(status -> !responses.has(status))
                    .forEach(status -> failures.add(name + " does not document " + status));
            responses.fields().forEachRemaining(response -> {
                if (response.getKey().startsWith("2")) {
                    return;
                }
                JsonNode content = response.getValue().path("content");
                JsonNode problem = content.path("application/problem+json");
                if (content.size() != 1 || !problem.path("schema").path("$ref").asText()
                        .equals("#/components/schemas/Problem")) {
                    failures.add(name + " " + response.getKey() + " is not documented as a Problem: " + content);
                } else if (!problem.has("example") && problem.path("examples").isEmpty()) {
                    failures.add(name + " " + response.getKey() + " has no example");
                }
            });
        }));

        assertThat(failures).isEmpty();
    }

    /** The document's examples of errors are what the API answers, field for field. */
    @Test
    void theDocumentedErrorExamplesAreWhatTheApiAnswers() {
        Identities identities = new Identities(port);
        JsonNode docs = identities.anonymous().get("/v3/api-docs").json();
        String order = "0e7d1a52-6c3f-4b8e-a914-2d5f8c7b3e10"; // the order id the examples name

        assertThat(identities.staff().get("/api/orders/" + order).json())
                .isEqualTo(example(docs, "/api/orders/{orderId}", "get", "404", null));
        assertThat(identities.staff().get("/api/orders/not-an-id").json())
                .isEqualTo(example(docs, "/api/orders/{orderId}", "get", "400", "malformedId"));
        assertThat(identities.staff().get("/api/orders?limit=0").json())
                .isEqualTo(example(docs, "/api/orders", "get", "400", "limitBelowOne"));
        assertThat(identities.staff().get("/api/orders", "Orderly-Position", "42abc").json())
                .isEqualTo(example(docs, "/api/orders", "get", "400", "malformedPosition"));
        assertThat(identities.anonymous().get("/api/orders").json())
                .isEqualTo(example(docs, "/api/orders", "get", "401", "noToken"));
        assertThat(identities.operator().get("/api/orders").json())
                .isEqualTo(example(docs, "/api/orders", "get", "403", "forbidden"));
        assertThat(identities.staff().post("/api/products", "{").json())
                .isEqualTo(example(docs, "/api/products", "post", "400", "malformedBody"));
    }

    /** The problem+json example of an answer: the named one, or the only one. */
    private static JsonNode example(JsonNode docs, String path, String method,
                                                                          String status, String name) {
        JsonNode media = docs.path("paths").path(path).path(method).path("responses").path(status).path("content")
                .path("application/problem+json");
        JsonNode example = name == null ? media.path("example") : media.path("examples").path(name).path("value");
        assertThat(example.isObject()).as(method + " " + path + " " + status + " example " + name + ": " + media).isTrue();
        return example;
    }

    @Test
    void swaggerUiIsServed() {
        Http.Response ui = new Http(port).get("/swagger-ui/index.html");

        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("Swagger UI");
    }
}
