package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
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
            boolean open = name.equals("POST /api/customers") || name.startsWith("GET /api/products");
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

    @Test
    void swaggerUiIsServed() {
        Http.Response ui = new Http(port).get("/swagger-ui/index.html");

        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("Swagger UI");
    }
}
