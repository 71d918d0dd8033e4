package org.orderly.app.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The configuration reference, {@code docs/configuration.md}, is generated from the metadata Spring Boot's
 * configuration processor writes for every {@code orderly.*} property, so it cannot drift from the code: a
 * property added, renamed or removed without regenerating it fails the build, and so does a property whose
 * Javadoc (the description) is missing.
 * <p>
 * To regenerate after a change: {@code ./mvnw -pl app -am test -Dtest=ConfigurationReferenceTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dorderly.docs.write=true}.
 */
class ConfigurationReferenceTest {

    private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
    private static final String PREFIX = "orderly.";

    @Test
    void everyOrderlyPropertyHasADescription() throws IOException {
        List<String> undescribed = properties().values().stream()
                .filter(property -> property.description().isBlank())
                .map(Property::name)
                .toList();
        assertThat(undescribed)
                .as("properties without a description: give each its Javadoc (field or record @param)")
                .isEmpty();
    }

    @Test
    void theConfigurationReferenceIsTheOneTheMetadataGenerates() throws IOException {
        String generated = render(properties());
        if (Boolean.getBoolean("orderly.docs.write")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
        assertThat(committed)
                .as("docs/configuration.md differs from the configuration metadata; regenerate it with "
                        + "-Dorderly.docs.write=true (see this test's Javadoc)")
                .isEqualTo(generated);
    }

    /** Every {@code orderly.*} property of every module on the application's class path, by name. */
    private static Map<String, Property> properties() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Property> byName = new TreeMap<>();
        for (URL url : Collections.list(ConfigurationReferenceTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode node : json.readTree(in).path("properties")) {
                    String name = node.path("name").asText();
                    if (!name.startsWith(PREFIX)) {
                        continue;
                    }
                    Property property = new Property(name, node.path("type").asText(""),
                            node.hasNonNull("defaultValue") ? defaultOf(node.get("defaultValue")) : "",
                            node.path("description").asText(""));
                    // Two modules may bind one prefix: keep the described entry.
                    byName.merge(name, property, (a, b) -> a.description().isBlank() ? b : a);
                }
            }
        }
        assertThat(byName).as("configuration metadata on the class path").isNotEmpty();
        return byName;
    }

    private static String defaultOf(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return String.join(", ", items);
        }
        return value.asText();
    }

    private static String render(Map<String, Property> properties) {
        StringBuilder out = new StringBuilder();
        out.append("""
                # Configuration reference

                Generated from the configuration metadata of Orderly's modules by `ConfigurationReferenceTest`,
                which fails the build when this file and the code disagree, or when a property has no description.
                Every setting is a Spring property: `application.yml`, `-D<name>=…`, or its environment variable
                (Spring's relaxed form: upper case, dots to underscores, dashes dropped). A map property
                (`<key>`) takes one entry per key, e.g. `orderly.domains.orders.pool-size=8`.

                | property | environment variable | type | default | meaning |
                |---|---|---|---|---|
                """);
        for (Property property : properties.values()) {
            out.append("| `").append(property.displayName()).append("` | `").append(property.environmentVariable())
                    .append("` | ").append(property.simpleType()).append(" | ")
                    .append(property.defaultValue().isEmpty() ? "" : "`" + property.defaultValue() + "`")
                    .append(" | ").append(property.markdownDescription()).append(" |\n");
        }
        return out.toString();
    }

    private record Property(String name, String type, String defaultValue, String description) {

        boolean isMap() {
            return type.startsWith("java.util.Map<");
        }

        String displayName() {
            return isMap() ? name + ".<key>" : name;
        }

        String environmentVariable() {
            String variable = name.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
            return isMap() ? variable + "_<KEY>" : variable;
        }

        String simpleType() {
            String raw = type.replaceAll("[a-z][a-z0-9_]*\\.", "").replace("<", "&lt;").replace(">", "&gt;");
            return raw.replace("$", ".");
        }

        String markdownDescription() {
            return description.replaceAll("\\{@code ([^}]*)}", "`$1`")
                    .replaceAll("\\{@link(?:plain)? ([^}]*)}", "`$1`")
                    .replaceAll("\\s+", " ")
                    .replace("|", "\\|")
                    .strip();
        }
    }
}
