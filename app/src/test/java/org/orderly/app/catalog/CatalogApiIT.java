package org.orderly.app.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;
import static org.orderly.app.support.ApiAssertions.fields;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@OrderlyIntegrationTest
class CatalogApiIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Identities identities;
    /** Staff: they change the catalog. */
    Http http;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        http = identities.staff();
    }

    @Test
    void anyoneReadsTheCatalogButOnlyStaffChangeIt() {
        String id = add(uniqueSku(), "Mug", "{\"amount\": \"1.00\", \"currency\": \"EUR\"}", 10)
                .json().get("productId").asText();
        Http anonymous = identities.anonymous();
        Http customer = identities.customer("Browser").http();
        long before = eventCount();

        assertThat(anonymous.get("/api/products").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> anonymous.get("/api/products/" + id).status() == 200);
        assertThat(anonymous.post("/api/products", "{\"sku\": \"" + uniqueSku() + "\", \"name\": \"Mug\", \"price\": "
                + "{\"amount\": \"1.00\", \"currency\": \"EUR\"}, \"weightGrams\": 10}").status()).isEqualTo(401);
        assertThat(customer.put("/api/products/" + id + "/price", "{\"amount\": \"0.01\", \"currency\": \"EUR\"}")
                .status()).isEqualTo(403);
        assertThat(customer.post("/api/products/" + id + "/discontinuation", null).status()).isEqualTo(403);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void addingAProductAnswers201WithItsLocationAndItCanBeReadBackWithMoneyAsADecimalString() {
        String sku = uniqueSku();
        Http.Response created = add(" " + sku.toLowerCase() + " ", " Blue mug ", "{\"amount\": \"12.5\", \"currency\": \"EUR\"}", 350);

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("productId").asText();
        assertThat(created.header("Location")).isEqualTo("/api/products/" + id);

        JsonNode product = awaitProduct(id, p -> true);
        assertThat(product.get("productId").asText()).isEqualTo(id);
        assertThat(product.get("sku").asText()).isEqualTo(sku);
        assertThat(product.get("name").asText()).isEqualTo("Blue mug");
        assertThat(product.get("price").get("amount").isTextual()).isTrue();
        assertThat(product.get("price").get("amount").asText()).isEqualTo("12.50");
        assertThat(product.get("price").get("currency").asText()).isEqualTo("EUR");
        assertThat(product.get("weightGrams").asInt()).isEqualTo(350);
        assertThat(product.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(product.get("version").asLong()).isZero();
        assertThat(http.get("/api/products/" + id).header("ETag")).isEqualTo("\"0\"");
    }

    @Test
    void anAmountSentAsAJsonNumberIsReadAsADecimalNotAFloat() {
        String id = add(uniqueSku(), "Cup", "{\"amount\": 0.1, \"currency\": \"EUR\"}", 100)
                .json().get("productId").asText();

        assertThat(awaitProduct(id, p -> true).get("price").get("amount").asText()).isEqualTo("0.10");
    }

    static Stream<Arguments> invalidPrices() {
        return Stream.of(
                Arguments.of("{\"amount\": \"-1.00\", \"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"amount\": \"0\", \"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"amount\": \"12.345\", \"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"amount\": \"12.5\", \"currency\": \"JPY\"}", "price.amount"),
                Arguments.of("{\"amount\": \"twelve\", \"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"amount\": true, \"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"amount\": \"1e999999999\", \"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"amount\": \"1e-999999999\", \"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"currency\": \"EUR\"}", "price.amount"),
                Arguments.of("{\"amount\": \"12.50\", \"currency\": \"XYZ\"}", "price.currency"),
                Arguments.of("{\"amount\": \"12.50\", \"currency\": \"eur\"}", "price.currency"),
                Arguments.of("{\"amount\": \"12.50\", \"currency\": \"EURO\"}", "price.currency"),
                Arguments.of("{\"amount\": \"12.50\", \"currency\": \"XAU\"}", "price.currency"),
                Arguments.of("{\"amount\": \"12.50\"}", "price.currency"),
                Arguments.of("null", "price"));
    }

    @ParameterizedTest
    @MethodSource("invalidPrices")
    void anInvalidPriceIsA400NamingTheFieldAndWritesNothing(String price, String field) {
        long events = eventCount();
        long skus = skuCount();

        Http.Response response = add(uniqueSku(), "Mug", price, 350);

        assertProblem(response, 400);
        assertThat(fields(response)).containsExactly(field);
        assertThat(eventCount()).isEqualTo(events);
        assertThat(skuCount()).isEqualTo(skus);
    }

    @Test
    void aBlankNameAndAWeightBelowOneAreA400NamingBothFieldsAndWriteNothing() {
        long before = eventCount();

        Http.Response response = add(uniqueSku(), "  ", "{\"amount\": \"1.00\", \"currency\": \"EUR\"}", 0);

        assertProblem(response, 400);
        assertThat(fields(response)).containsExactlyInAnyOrder("name", "weightGrams");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aWeightThatIsNotAnIntegerOrIsNegativeIsA400NamingIt() {
        String price = "{\"amount\": \"1.00\", \"currency\": \"EUR\"}";
        for (String weight : List.of("-1", "\"heavy\"", "2.5", "3000000000", "null")) {
            Http.Response response = http.post("/api/products", "{\"sku\": \"" + uniqueSku()
                    + "\", \"name\": \"Mug\", \"price\": " + price + ", \"weightGrams\": " + weight + "}");
            assertProblem(response, 400);
            assertThat(fields(response)).as("weight " + weight).containsExactly("weightGrams");
        }
    }

    @Test
    void aBlankOrSpacedSkuIsA400NamingIt() {
        long before = eventCount();
        for (String sku : List.of(" ", "MUG 01")) {
            Http.Response response = add(sku, "Mug", "{\"amount\": \"1.00\", \"currency\": \"EUR\"}", 10);
            assertProblem(response, 400);
            assertThat(fields(response)).as("sku '" + sku + "'").containsExactly("sku");
        }
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aDuplicateSkuIsA409NamingTheSkuWhateverItsCaseAndWritesNothing() {
        String sku = uniqueSku();
        assertThat(add(sku, "First", "{\"amount\": \"1.00\", \"currency\": \"EUR\"}", 10).status()).isEqualTo(201);
        long events = eventCount();
        long skus = skuCount();

        Http.Response duplicate = add("  " + sku.toLowerCase(), "Second", "{\"amount\": \"2.00\", \"currency\": \"EUR\"}", 10);

        assertProblem(duplicate, 409);
        assertThat(fields(duplicate)).containsExactly("sku");
        assertThat(eventCount()).isEqualTo(events);
        assertThat(skuCount()).isEqualTo(skus);
    }

    @Test
    void concurrentAddsWithOneSkuLetExactlyOneThrough() throws Exception {
        String sku = uniqueSku();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(() -> add(sku, "Racer", "{\"amount\": \"1.00\", \"currency\": \"EUR\"}", 10).status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
        assertThat(eventStore.queryForObject("SELECT count(*) FROM catalog_registry.product_sku WHERE sku = ?",
                Long.class, sku)).isEqualTo(1);
    }

    @Test
    void changingThePriceReachesTheReadModelAndMovesTheETag() {
        String id = addMug();
        awaitProduct(id, p -> true);

        Http.Response changed = http.put("/api/products/" + id + "/price",
                "{\"amount\": \"9.9\", \"currency\": \"USD\"}", "If-Match", "\"0\"");

        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        JsonNode product = awaitProduct(id, p -> p.get("version").asLong() == 1);
        assertThat(product.get("price").get("amount").asText()).isEqualTo("9.90");
        assertThat(product.get("price").get("currency").asText()).isEqualTo("USD");
        assertThat(http.get("/api/products/" + id).header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void anInvalidNewPriceIsA400NamingTheFieldOfTheBodyAndWritesNothing() {
        String id = addMug();
        long before = eventCount();

        Http.Response negative = http.put("/api/products/" + id + "/price", "{\"amount\": \"-1\", \"currency\": \"EUR\"}");
        assertProblem(negative, 400);
        assertThat(fields(negative)).containsExactly("amount");

        Http.Response decimals = http.put("/api/products/" + id + "/price", "{\"amount\": \"1.001\", \"currency\": \"EUR\"}");
        assertProblem(decimals, 400);
        assertThat(fields(decimals)).containsExactly("amount");

        Http.Response currency = http.put("/api/products/" + id + "/price", "{\"amount\": \"1\", \"currency\": \"ABC\"}");
        assertProblem(currency, 400);
        assertThat(fields(currency)).containsExactly("currency");

        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void renamingReachesTheReadModelAndABlankNameIsA400() {
        String id = addMug();
        awaitProduct(id, p -> true);

        assertThat(http.put("/api/products/" + id + "/name", "{\"name\": \" Big mug \"}", "If-Match", "\"0\"").status())
                .isEqualTo(204);
        assertThat(awaitProduct(id, p -> p.get("version").asLong() == 1).get("name").asText()).isEqualTo("Big mug");

        long before = eventCount();
        Http.Response blank = http.put("/api/products/" + id + "/name", "{\"name\": \"\"}");
        assertProblem(blank, 400);
        assertThat(fields(blank)).containsExactly("name");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aStaleIfMatchIsA409OnEveryCommandAndWritesNothing() {
        String id = addMug();
        long before = eventCount();

        Http.Response price = http.put("/api/products/" + id + "/price", "{\"amount\": \"2.00\", \"currency\": \"EUR\"}",
                "If-Match", "\"3\"");
        Http.Response name = http.put("/api/products/" + id + "/name", "{\"name\": \"Other\"}", "If-Match", "\"3\"");
        Http.Response discontinuation = http.post("/api/products/" + id + "/discontinuation", null, "If-Match", "\"3\"");

        for (Http.Response response : List.of(price, name, discontinuation)) {
            assertProblem(response, 409);
            assertThat(fields(response)).containsExactly("If-Match");
        }
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aMalformedIfMatchIsA400NamingTheHeader() {
        String id = addMug();

        Http.Response response = http.post("/api/products/" + id + "/discontinuation", null, "If-Match", "soon");

        assertProblem(response, 400);
        assertThat(fields(response)).containsExactly("If-Match");
    }

    @Test
    void discontinuingReachesTheReadModelAndAnyLaterChangeIsA409ThatWritesNothing() {
        String id = addMug();
        assertThat(http.post("/api/products/" + id + "/discontinuation", null, "If-Match", "\"0\"").status())
                .isEqualTo(204);
        assertThat(awaitProduct(id, p -> p.get("status").asText().equals("DISCONTINUED")).get("version").asLong())
                .isEqualTo(1);
        long before = eventCount();

        assertProblem(http.put("/api/products/" + id + "/price", "{\"amount\": \"2.00\", \"currency\": \"EUR\"}"), 409);
        assertProblem(http.put("/api/products/" + id + "/name", "{\"name\": \"Other\"}"), 409);
        assertProblem(http.post("/api/products/" + id + "/discontinuation", null), 409);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void anUnknownProductIsA404ForQueriesAndCommandsAndWritesNothing() {
        String unknown = UUID.randomUUID().toString();
        long before = eventCount();

        assertProblem(http.get("/api/products/" + unknown), 404);
        assertProblem(http.put("/api/products/" + unknown + "/price", "{\"amount\": \"2.00\", \"currency\": \"EUR\"}"), 404);
        assertProblem(http.put("/api/products/" + unknown + "/name", "{\"name\": \"Ghost\"}"), 404);
        assertProblem(http.post("/api/products/" + unknown + "/discontinuation", null), 404);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void anIdThatIsNotAUuidIsA400NamingIt() {
        Http.Response response = http.get("/api/products/not-a-uuid");

        assertProblem(response, 400);
        assertThat(fields(response)).containsExactly("productId");
    }

    @Test
    void theListFiltersByStatusAndPagesThroughEveryMatchingProductOnceInAStableOrder() {
        Set<String> active = new HashSet<>();
        Set<String> discontinued = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            String id = addMug();
            if (i % 3 == 0) {
                assertThat(http.post("/api/products/" + id + "/discontinuation", null).status()).isEqualTo(204);
                discontinued.add(id);
            } else {
                active.add(id);
            }
        }
        active.forEach(id -> awaitProduct(id, p -> true));
        discontinued.forEach(id -> awaitProduct(id, p -> p.get("status").asText().equals("DISCONTINUED")));

        List<JsonNode> onlyDiscontinued = pageThrough("status=DISCONTINUED&limit=2");
        assertThat(onlyDiscontinued).allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("DISCONTINUED"));
        assertThat(ids(onlyDiscontinued)).doesNotHaveDuplicates().isSorted()
                .containsAll(discontinued).doesNotContainAnyElementsOf(active);

        List<JsonNode> onlyActive = pageThrough("status=active&limit=3");
        assertThat(onlyActive).allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("ACTIVE"));
        assertThat(ids(onlyActive)).doesNotHaveDuplicates().isSorted()
                .containsAll(active).doesNotContainAnyElementsOf(discontinued);

        List<JsonNode> all = pageThrough("limit=4");
        assertThat(ids(all)).doesNotHaveDuplicates().isSorted().containsAll(active).containsAll(discontinued);
    }

    @Test
    void anUnknownStatusABadLimitOrABadCursorIsA400NamingIt() {
        Http.Response status = http.get("/api/products?status=SOLD_OUT");
        assertProblem(status, 400);
        assertThat(fields(status)).containsExactly("status");

        Http.Response limit = http.get("/api/products?limit=0");
        assertProblem(limit, 400);
        assertThat(fields(limit)).containsExactly("limit");

        Http.Response cursor = http.get("/api/products?cursor=bm90LWEtdXVpZA");
        assertProblem(cursor, 400);
        assertThat(fields(cursor)).containsExactly("cursor");

        Http.Response capped = http.get("/api/products?limit=100000");
        assertThat(capped.status()).isEqualTo(200);
        assertThat(capped.json().get("items").size()).isLessThanOrEqualTo(100);
    }

    private List<JsonNode> pageThrough(String query) {
        int limit = Integer.parseInt(query.replaceAll(".*limit=", ""));
        List<JsonNode> pages = http.pages("/api/products?" + query);
        pages.forEach(page -> assertThat(page.get("items").size()).isLessThanOrEqualTo(limit));
        return Http.items(pages);
    }

    private static List<String> ids(List<JsonNode> products) {
        return products.stream().map(p -> p.get("productId").asText()).toList();
    }

    private String addMug() {
        Http.Response created = add(uniqueSku(), "Mug", "{\"amount\": \"12.50\", \"currency\": \"EUR\"}", 350);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("productId").asText();
    }

    private Http.Response add(String sku, String name, String priceJson, int weightGrams) {
        return http.post("/api/products", "{\"sku\": \"" + sku + "\", \"name\": \"" + name + "\", \"price\": "
                + priceJson + ", \"weightGrams\": " + weightGrams + "}");
    }

    private JsonNode awaitProduct(String id, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, "/api/products/" + id, condition);
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

    private long skuCount() {
        return eventStore.queryForObject("SELECT count(*) FROM catalog_registry.product_sku", Long.class);
    }

    private static String uniqueSku() {
        return "SKU-" + UUID.randomUUID().toString().toUpperCase();
    }
}
