package org.orderly.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bad input to every operation the OpenAPI document describes, every field of its body and every parameter:
 * control characters, oversized strings, huge and malformed numbers, values of the wrong type and trailing
 * garbage. Each is sent by a caller the operation admits, so it reaches the operation's own checks. None may
 * answer 5xx; every change is refused, as problem+json (a read may answer an odd filter with an empty page); and
 * no event is written on behalf of the caller. An operation added
 * later is covered without a line of this test changing.
 */
@OrderlyIntegrationTest
class BadInputFromTheApiDocumentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    /** A product that exists, so that a body's other fields are valid and only the one made bad is at fault. */
    private static String product;
    private static String customerId;

    /** One bad request and why it is bad. */
    record Attempt(String method, String path, String body, String what) {
    }

    @Test
    void noBadInputToAnyDocumentedOperationIsA5xxEveryRefusalIsAProblemAndNothingIsWritten() {
        Identities identities = new Identities(port);
        Shop shop = new Shop(identities);
        Identities.Customer customer = identities.customer("Fuzzed");
        customerId = customer.id();
        product = shop.product("Fuzzed pen", "1.00");
        shop.receive(product, 100);
        Map<String, Http> callers = Map.of("staff", identities.staff(), "operator", identities.operator(),
                "customer", customer.http());
        Map<String, String> subjects = Map.of("staff", "staff", "operator", "operator", "customer", customer.id());
        JsonNode document = identities.anonymous().get("/v3/api-docs").json();

        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                String caller = caller(op.getValue(), customer);
                Http http = caller == null ? identities.anonymous() : callers.get(caller);
                String subject = caller == null ? null : subjects.get(caller);
                for (Attempt attempt : attempts(document, method, path.getKey(), op.getValue(), customer.id())) {
                    long before = eventsBy(subject);
                    Http.Response response = http.request(attempt.method(), attempt.path(), attempt.body());
                    sent++;
                    String cell = attempt.method() + " " + attempt.path() + " with " + attempt.what() + ": " + response;
                    if (response.status() >= 500) {
                        failures.add("5xx: " + cell);
                    } else if (response.status() >= 400 && !String.valueOf(response.header("Content-Type"))
                            .startsWith("application/problem+json")) {
                        failures.add("not problem+json: " + cell);
                    } else if (response.status() < 400 && !attempt.method().equals("GET")) {
                        // a read may answer an odd filter with an empty page; a change must refuse bad input
                        failures.add("accepted: " + cell);
                    }
                    if (eventsBy(subject) != before) {
                        failures.add("wrote an event: " + cell);
                    }
                }
            }
        }
        assertThat(sent).as("bad requests sent").isGreaterThan(200);
        assertThat(failures).as("bad inputs not refused cleanly").isEmpty();
    }

    /** Events the caller caused: a refused request must leave their count as it was. */
    private long eventsBy(String subject) {
        if (subject == null) {
            // anonymous callers' events carry no subject and no roles
            return eventStore.queryForObject("""
                    SELECT count(*) FROM event_store.domain_event_entry
                     WHERE convert_from(meta_data, 'UTF8') LIKE '%"actorRoles":""%'
                    """, Long.class);
        }
        return eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE convert_from(meta_data, 'UTF8') LIKE ?
                """, Long.class, "%\"actorSubject\":\"" + subject + "\"%");
    }

    /** A caller the operation admits, read from the roles its description names; {@code null} for public ones. */
    private static String caller(JsonNode operation, Identities.Customer customer) {
        JsonNode security = operation.get("security");
        if (security == null || security.isEmpty()) {
            return null;
        }
        String description = operation.path("description").asText();
        String roles = description.substring(description.lastIndexOf("Roles: ") + "Roles: ".length());
        return roles.contains("customer") ? "customer" : roles.contains("staff") ? "staff" : "operator";
    }

    private static List<Attempt> attempts(JsonNode document, String method, String template, JsonNode operation,
                                          String customerId) {
        List<Attempt> attempts = new ArrayList<>();
        Map<String, String> pathValues = new LinkedHashMap<>();
        List<String> queryNames = new ArrayList<>();
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("in").asText().equals("path")) {
                pathValues.put(parameter.get("name").asText(),
                        parameter.get("name").asText().equals("customerId") ? customerId : UUID.randomUUID().toString());
            } else if (parameter.path("in").asText().equals("query")) {
                queryNames.add(parameter.get("name").asText());
            }
        }
        String path = fill(template, pathValues);
        // every path parameter: a control character, an oversized value, a value that is no id
        for (String name : pathValues.keySet()) {
            for (Map.Entry<String, String> bad : Map.of("a NUL", "a%00b", "an oversized value", "x".repeat(5000),
                    "a value that is no id", "not-an-id").entrySet()) {
                Map<String, String> values = new LinkedHashMap<>(pathValues);
                values.put(name, bad.getValue());
                attempts.add(new Attempt(method, fill(template, values), validBody(document, operation),
                        bad.getKey() + " in path parameter " + name));
            }
        }
        // every query parameter: a control character, an oversized value, a number that is none, a huge number
        for (String name : queryNames) {
            for (Map.Entry<String, String> bad : Map.of("a NUL", "%00", "an oversized value", "x".repeat(5000),
                    "a malformed number", "12abc", "a huge number", "1e2147483647").entrySet()) {
                String value = bad.getValue().startsWith("%") ? bad.getValue()
                        : URLEncoder.encode(bad.getValue(), StandardCharsets.UTF_8);
                attempts.add(new Attempt(method, path + "?" + name + "=" + value, validBody(document, operation),
                        bad.getKey() + " in query parameter " + name));
            }
        }
        JsonNode schema = bodySchema(document, operation);
        if (schema != null) {
            JsonNode valid = example(document, schema, 0);
            attempts.add(new Attempt(method, path, valid + " trailing", "trailing garbage"));
            attempts.add(new Attempt(method, path, "[" + valid + "]", "an array for the body"));
            for (String field : fields(document, schema, "", 0)) {
                for (Map.Entry<String, JsonNode> bad : badValues().entrySet()) {
                    if (bad.getKey().equals("a huge number as a string") && !numeric(document, schema, field)) {
                        continue; // "1e2147483647" is fine text; as a string it is bad only where a number belongs
                    }
                    attempts.add(new Attempt(method, path, with(valid, field, bad.getValue()).toString(),
                            bad.getKey() + " in " + field));
                }
                attempts.add(new Attempt(method, path, with(valid, field, NODES.textNode("PLACEHOLDER")).toString()
                        .replace("\"PLACEHOLDER\"", "12abc"), "a malformed number in " + field));
            }
        }
        return attempts;
    }

    /** Whether the field at the pointer holds a number (or a money amount, a number written as text). */
    private static boolean numeric(JsonNode document, JsonNode schema, String pointer) {
        if (pointer.endsWith("/amount")) {
            return true;
        }
        JsonNode current = resolve(document, schema);
        for (String step : pointer.substring(1).split("/")) {
            current = resolve(document, step.matches("\\d+") ? current.path("items") : current.path("properties").path(step));
        }
        String type = current.path("type").asText();
        return type.equals("integer") || type.equals("number");
    }

    private static Map<String, JsonNode> badValues() {
        Map<String, JsonNode> bad = new LinkedHashMap<>();
        bad.put("a NUL", NODES.textNode("a\u0000b"));
        bad.put("a C0 control character", NODES.textNode("a\u001bb"));
        bad.put("an oversized string", NODES.textNode("x".repeat(100_000)));
        bad.put("a huge number", NODES.numberNode(new java.math.BigDecimal("1e2147483647")));
        bad.put("a huge number as a string", NODES.textNode("1e2147483647"));
        bad.put("an object", NODES.objectNode().put("nested", true));
        bad.put("a negative number", NODES.numberNode(-1));
        return bad;
    }

    private static String fill(String template, Map<String, String> values) {
        String path = template;
        for (Map.Entry<String, String> value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path;
    }

    private static String validBody(JsonNode document, JsonNode operation) {
        JsonNode schema = bodySchema(document, operation);
        return schema == null ? null : example(document, schema, 0).toString();
    }

    private static JsonNode bodySchema(JsonNode document, JsonNode operation) {
        JsonNode content = operation.path("requestBody").path("content");
        if (content.isMissingNode() || !content.fields().hasNext()) {
            return null;
        }
        return resolve(document, content.fields().next().getValue().path("schema"));
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
            return document.path("components").path("schemas").path(name);
        }
        return schema;
    }

    /**
     * A valid value of the schema, by what its fields are called: the base each bad value replaces one field of,
     * so that the bad field, and nothing else, is what a refusal is about.
     */
    private static JsonNode example(JsonNode document, JsonNode schema, int depth) {
        return example(document, schema, depth, "");
    }

    private static JsonNode known(String field) {
        return switch (field) {
            case "email" -> NODES.textNode("fuzz-" + UUID.randomUUID() + "@example.com");
            case "password", "currentPassword", "newPassword" -> NODES.textNode(Identities.CUSTOMER_PASSWORD);
            case "name" -> NODES.textNode("Fuzzed name");
            case "sku" -> NODES.textNode("SKU-" + UUID.randomUUID());
            case "amount" -> NODES.textNode("10.00");
            case "currency" -> NODES.textNode("EUR");
            case "productId" -> NODES.textNode(product);
            case "customerId" -> NODES.textNode(customerId);
            case "quantity", "weightGrams" -> NODES.numberNode(1);
            case "reason" -> NODES.textNode("a reason");
            case "country" -> NODES.textNode("DE");
            case "phone" -> NODES.textNode("+49 30 1234567");
            default -> null;
        };
    }

    private static JsonNode example(JsonNode document, JsonNode schema, int depth, String field) {
        JsonNode resolved = resolve(document, schema);
        String type = resolved.path("type").asText("object");
        if (!type.equals("object") && !type.equals("array") && known(field) != null) {
            return known(field);
        }
        return switch (type) {
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(true);
            case "string" -> NODES.textNode(resolved.path("format").asText().equals("uuid")
                    ? UUID.randomUUID().toString() : "valid");
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                if (depth < 3) {
                    array.add(example(document, resolved.path("items"), depth + 1, ""));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                if (depth < 3) {
                    resolved.path("properties").fields().forEachRemaining(property ->
                            object.set(property.getKey(), example(document, property.getValue(), depth + 1,
                                    property.getKey())));
                }
                yield object;
            }
        };
    }

    /** Every field of the schema as a JSON pointer, nested ones included ({@code /lines/0/quantity}). */
    private static List<String> fields(JsonNode document, JsonNode schema, String prefix, int depth) {
        List<String> fields = new ArrayList<>();
        JsonNode resolved = resolve(document, schema);
        if (depth > 3) {
            return fields;
        }
        resolved.path("properties").fields().forEachRemaining(property -> {
            String pointer = prefix + "/" + property.getKey();
            fields.add(pointer);
            JsonNode value = resolve(document, property.getValue());
            if (value.path("type").asText("object").equals("array")) {
                fields.addAll(fields(document, value.path("items"), pointer + "/0", depth + 1));
            } else if (value.has("properties")) {
                fields.addAll(fields(document, value, pointer, depth + 1));
            }
        });
        return fields;
    }

    /** The body with the field at {@code pointer} replaced. */
    private static JsonNode with(JsonNode body, String pointer, JsonNode value) {
        JsonNode copy = body.deepCopy();
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = copy.at(pointer.substring(0, slash));
        String name = pointer.substring(slash + 1);
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(name), value);
        }
        return copy;
    }
}
