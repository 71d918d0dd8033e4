package org.orderly.app.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.orderly.app.support.ApiAssertions.assertProblem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.jdbc.core.JdbcTemplate;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Awaits;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;

/**
 * The category tree, products in categories and typed attributes, through the API: every endpoint, every refusal
 * (nothing written), the lists' filters and the race of crossing moves.
 */
@OrderlyIntegrationTest
class CategoriesIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PRICE = "{\"amount\": \"5.00\", \"currency\": \"EUR\"}";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    DomainStores stores;
    Identities identities;
    /** Staff: they change the catalog. */
    Http http;
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        http = identities.staff();
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    @Test
    void anyoneReadsTheTreeButOnlyStaffChangeIt() {
        String id = create(unique("Public"), null);
        String product = addProduct(null);
        Http anonymous = identities.anonymous();
        Http customer = identities.customer("Browser").http();
        long before = eventCount();

        assertThat(anonymous.get("/api/categories").status()).isEqualTo(200);
        await().atMost(WAIT).until(() -> anonymous.get("/api/categories/" + id).status() == 200);
        assertThat(anonymous.post("/api/categories", "{\"name\": \"Nope\"}").status()).isEqualTo(401);
        assertThat(customer.post("/api/categories", "{\"name\": \"Nope\"}").status()).isEqualTo(403);
        assertThat(customer.put("/api/categories/" + id + "/name", "{\"name\": \"Nope\"}").status()).isEqualTo(403);
        assertThat(customer.put("/api/categories/" + id + "/parent", "{\"parentId\": null}").status()).isEqualTo(403);
        assertThat(customer.request("DELETE", "/api/categories/" + id, null).status()).isEqualTo(403);
        assertThat(customer.put("/api/products/" + product + "/category", "{\"categoryId\": \"" + id + "\"}").status())
                .isEqualTo(403);
        assertThat(customer.put("/api/products/" + product + "/attributes", "{\"attributes\": []}").status())
                .isEqualTo(403);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void categoriesCreatedUnderEachOtherAreReadBackAsATreeWithParentAncestorsAndChildren() {
        String rootName = unique("Pens");
        Http.Response created = http.post("/api/categories", "{\"name\": \" " + rootName + " \"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String root = created.json().get("categoryId").asText();
        assertThat(created.header("Location")).isEqualTo("/api/categories/" + root);
        String fountain = create("Fountain pens", root);
        String ballpoint = create("Ballpoint pens", root);
        String nibs = create("Nibs", fountain);

        JsonNode family = awaitCategory(fountain, c -> c.get("children").size() == 1);
        assertThat(family.get("name").asText()).isEqualTo("Fountain pens");
        assertThat(family.get("parent").get("categoryId").asText()).isEqualTo(root);
        assertThat(family.get("parent").get("name").asText()).isEqualTo(rootName);
        assertThat(ids(family.get("ancestors"))).containsExactly(root);
        assertThat(ids(family.get("children"))).containsExactly(nibs);
        assertThat(awaitCategory(nibs, c -> true).get("ancestors").findValuesAsText("name"))
                .containsExactly(rootName, "Fountain pens");
        assertThat(awaitCategory(root, c -> c.get("children").size() == 2).get("parent").isNull()).isTrue();

        JsonNode rootNode = rootNode(root);
        assertThat(rootNode.get("parentId").isNull()).isTrue();
        // children by name: Ballpoint before Fountain
        assertThat(ids(rootNode.get("children"))).containsExactly(ballpoint, fountain);
        JsonNode fountainNode = rootNode.get("children").get(1);
        assertThat(fountainNode.get("parentId").asText()).isEqualTo(root);
        assertThat(ids(fountainNode.get("children"))).containsExactly(nibs);
    }

    @Test
    void renamingReachesTheReadModelAndASiblingsNameInAnyCaseIsA409ThatWritesNothing() {
        String root = create(unique("Paper"), null);
        String lined = create("Lined", root);
        String plain = create("Plain", root);

        assertThat(http.put("/api/categories/" + lined + "/name", "{\"name\": \"Ruled\"}").status()).isEqualTo(204);
        awaitCategory(lined, c -> c.get("name").asText().equals("Ruled"));

        long before = eventCount();
        Http.Response taken = http.put("/api/categories/" + plain + "/name", "{\"name\": \"RULED\"}");
        assertProblem(taken, 409);
        assertThat(fields(taken)).containsExactly("name");
        Http.Response twice = http.post("/api/categories", "{\"name\": \"plain\", \"parentId\": \"" + root + "\"}");
        assertProblem(twice, 409);
        assertThat(fields(twice)).containsExactly("name");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aBlankOrLongNameOrAParentIdThatIsNoUuidIsA400NamingTheFieldAndWritesNothing() {
        String root = create(unique("Inks"), null);
        long before = eventCount();

        Http.Response blank = http.post("/api/categories", "{\"name\": \"  \"}");
        assertProblem(blank, 400);
        assertThat(fields(blank)).containsExactly("name");
        Http.Response longName = http.post("/api/categories", "{\"name\": \"" + "x".repeat(201) + "\"}");
        assertProblem(longName, 400);
        assertThat(fields(longName)).containsExactly("name");
        Http.Response badParent = http.post("/api/categories", "{\"name\": \"Blue\", \"parentId\": \"blue\"}");
        assertProblem(badParent, 400);
        assertThat(fields(badParent)).containsExactly("parentId");
        Http.Response rename = http.put("/api/categories/" + root + "/name", "{\"name\": \"\"}");
        assertProblem(rename, 400);
        assertThat(fields(rename)).containsExactly("name");
        Http.Response move = http.put("/api/categories/" + root + "/parent", "{\"parentId\": 12}");
        assertProblem(move, 400);
        assertThat(fields(move)).containsExactly("parentId");
        Http.Response path = http.get("/api/categories/not-a-uuid");
        assertProblem(path, 400);
        assertThat(fields(path)).containsExactly("categoryId");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void anUnknownParentIsA422AndAnUnknownCategoryA404ForQueriesAndCommandsAndNothingIsWritten() {
        String root = create(unique("Desks"), null);
        String unknown = UUID.randomUUID().toString();
        long before = eventCount();

        Http.Response create = http.post("/api/categories", "{\"name\": \"Ghost\", \"parentId\": \"" + unknown + "\"}");
        assertProblem(create, 422);
        assertThat(fields(create)).containsExactly("parentId");
        Http.Response move = http.put("/api/categories/" + root + "/parent", "{\"parentId\": \"" + unknown + "\"}");
        assertProblem(move, 422);
        assertThat(fields(move)).containsExactly("parentId");
        assertProblem(http.get("/api/categories/" + unknown), 404);
        assertProblem(http.put("/api/categories/" + unknown + "/name", "{\"name\": \"Ghost\"}"), 404);
        assertProblem(http.put("/api/categories/" + unknown + "/parent", "{\"parentId\": null}"), 404);
        assertProblem(http.request("DELETE", "/api/categories/" + unknown, null), 404);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aMoveUnderItselfOrUnderADescendantIsA409ProblemAndWritesNothing() {
        String root = create(unique("Bags"), null);
        String child = create("Backpacks", root);
        String grandchild = create("Laptop backpacks", child);
        long before = eventCount();

        for (String target : List.of(root, child, grandchild)) {
            Http.Response cycle = http.put("/api/categories/" + root + "/parent", "{\"parentId\": \"" + target + "\"}");
            assertProblem(cycle, 409);
            assertThat(fields(cycle)).containsExactly("parentId");
        }
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void movingACategoryTakesItsSubtreeAndItsProductsUnderTheNewParent() {
        String from = create(unique("From"), null);
        String to = create(unique("To"), null);
        String moved = create("Moved", from);
        String leaf = create("Leaf", moved);
        String product = addProduct(leaf);
        awaitList("category=" + from, ids -> ids.contains(product));

        assertThat(http.put("/api/categories/" + moved + "/parent", "{\"parentId\": \"" + to + "\"}").status())
                .isEqualTo(204);

        awaitList("category=" + to, ids -> ids.contains(product));
        assertThat(listIds("category=" + from)).doesNotContain(product);
        assertThat(ids(awaitCategory(leaf, c -> ids(c.get("ancestors")).contains(to)).get("ancestors")))
                .containsExactly(to, moved);
        assertThat(ids(rootNode(to).get("children"))).containsExactly(moved);
        assertThat(rootNode(from).get("children")).isEmpty();

        // and back to the roots: a move without parent
        assertThat(http.put("/api/categories/" + moved + "/parent", "{\"parentId\": null}").status()).isEqualTo(204);
        awaitCategory(moved, c -> c.get("parent").isNull());
        awaitList("category=" + moved, ids -> ids.contains(product));
        assertThat(listIds("category=" + to)).doesNotContain(product);
    }

    @Test
    void ofTwoCrossingMovesRunAtOnceExactlyOneIsStoredAndTheTreeHasNoCycle() throws Exception {
        for (int round = 0; round < 5; round++) {
            String a = create(unique("A"), null);
            String b = create(unique("B"), null);
            CyclicBarrier start = new CyclicBarrier(2);
            Callable<Integer> aUnderB = () -> {
                start.await();
                return http.put("/api/categories/" + a + "/parent", "{\"parentId\": \"" + b + "\"}").status();
            };
            Callable<Integer> bUnderA = () -> {
                start.await();
                return http.put("/api/categories/" + b + "/parent", "{\"parentId\": \"" + a + "\"}").status();
            };
            Future<Integer> first = pool.submit(aUnderB);
            Future<Integer> second = pool.submit(bUnderA);
            List<Integer> statuses = List.of(first.get(), second.get());

            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(204, 409);
            String child = statuses.get(0) == 204 ? a : b;
            String parent = statuses.get(0) == 204 ? b : a;
            JsonNode moved = awaitCategory(child, c -> !c.get("parent").isNull());
            assertThat(moved.get("parent").get("categoryId").asText()).isEqualTo(parent);
            assertThat(awaitCategory(parent, c -> true).get("parent").isNull()).isTrue();
        }
    }

    @Test
    void anEmptyCategoryIsRetiredButOneWithSubCategoriesOrProductsIsA409ThatWritesNothing() {
        String root = create(unique("Retire"), null);
        String withProduct = create("With product", root);
        String empty = create("Empty", root);
        String product = addProduct(withProduct);
        long before = eventCount();

        Http.Response children = http.request("DELETE", "/api/categories/" + root, null);
        assertProblem(children, 409);
        assertThat(children.json().get("detail").asText()).contains("sub-categor");
        Http.Response products = http.request("DELETE", "/api/categories/" + withProduct, null);
        assertProblem(products, 409);
        assertThat(products.json().get("detail").asText()).contains("product");
        assertThat(eventCount()).isEqualTo(before);

        assertThat(http.request("DELETE", "/api/categories/" + empty, null).status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> http.get("/api/categories/" + empty).status() == 404);
        // once its product has moved out, the category can go, and then its parent
        assertThat(http.put("/api/products/" + product + "/category", "{\"categoryId\": \"" + empty + "\"}").status())
                .as("a retired category takes no product").isEqualTo(422);
        String elsewhere = create(unique("Elsewhere"), null);
        assertThat(http.put("/api/products/" + product + "/category", "{\"categoryId\": \"" + elsewhere + "\"}")
                .status()).isEqualTo(204);
        assertThat(http.request("DELETE", "/api/categories/" + withProduct, null).status()).isEqualTo(204);
        assertThat(http.request("DELETE", "/api/categories/" + root, null).status()).isEqualTo(204);
        await().atMost(WAIT).until(() -> http.get("/api/categories/" + root).status() == 404);
        assertThat(eventStore.queryForObject("SELECT count(*) FROM catalog_registry.category WHERE category_id IN (?, ?, ?)",
                Long.class, UUID.fromString(root), UUID.fromString(withProduct), UUID.fromString(empty))).isZero();
    }

    @Test
    void aRetirementAndAProductMovingInRunAtOnceNeverLeaveAProductInARetiredCategory() throws Exception {
        for (int round = 0; round < 5; round++) {
            String target = create(unique("Target"), null);
            String product = addProduct(null);
            CyclicBarrier start = new CyclicBarrier(2);
            Future<Integer> retire = pool.submit(() -> {
                start.await();
                return http.request("DELETE", "/api/categories/" + target, null).status();
            });
            Future<Integer> moveIn = pool.submit(() -> {
                start.await();
                return http.put("/api/products/" + product + "/category", "{\"categoryId\": \"" + target + "\"}")
                        .status();
            });
            int retired = retire.get();
            int moved = moveIn.get();

            // the product got in first (and the retirement saw it), or the category went first (and took no product)
            assertThat(List.of(retired, moved)).as("round " + round).isIn(List.of(409, 204), List.of(204, 422));
        }
    }

    @Test
    void aProductAddedInACategoryIsListedUnderItAndUnderEveryCategoryAbove() {
        String root = create(unique("Office"), null);
        String pens = create("Pens", root);
        String fountain = create("Fountain", pens);
        String other = create("Other", root);
        String inFountain = addProduct(fountain);
        String inPens = addProduct(pens);
        String inOther = addProduct(other);
        String nowhere = addProduct(null);

        JsonNode product = awaitProduct(inFountain, p -> !p.get("categoryId").isNull());
        assertThat(product.get("categoryId").asText()).isEqualTo(fountain);
        assertThat(product.get("version").asLong()).isEqualTo(1);
        assertThat(awaitProduct(nowhere, p -> true).get("categoryId").isNull()).isTrue();

        awaitList("category=" + root, ids -> ids.containsAll(List.of(inFountain, inPens, inOther)));
        assertThat(listIds("category=" + root)).doesNotContain(nowhere);
        assertThat(listIds("category=" + pens)).containsExactlyInAnyOrder(inFountain, inPens);
        assertThat(listIds("category=" + fountain)).containsExactly(inFountain);
        assertThat(listIds("category=" + other)).containsExactly(inOther);
        // the category and status filters together, and pages of one through them
        assertThat(pageThrough("category=" + root + "&status=ACTIVE&limit=1"))
                .doesNotHaveDuplicates().isSorted().containsExactlyInAnyOrder(inFountain, inPens, inOther);
        // an unknown category has no products
        assertThat(listIds("category=" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void aProductPutInACategoryMovesOutOfTheOneItWasIn() {
        String root = create(unique("Move"), null);
        String first = create("First", root);
        String second = create("Second", root);
        String product = addProduct(first);
        awaitProduct(product, p -> first.equals(p.get("categoryId").asText()));

        Http.Response moved = http.put("/api/products/" + product + "/category",
                "{\"categoryId\": \"" + second + "\"}", "If-Match", "\"1\"");

        assertThat(moved.status()).as(moved.toString()).isEqualTo(204);
        awaitProduct(product, p -> second.equals(p.get("categoryId").asText()));
        assertThat(listIds("category=" + first)).doesNotContain(product);
        assertThat(listIds("category=" + second)).containsExactly(product);
    }

    @Test
    void puttingAProductInAnUnknownCategoryIsA422AndAMissingOrBadCategoryIdA400AndNothingIsWritten() {
        String product = addProduct(null);
        long before = eventCount();

        Http.Response unknown = http.put("/api/products/" + product + "/category",
                "{\"categoryId\": \"" + UUID.randomUUID() + "\"}");
        assertProblem(unknown, 422);
        assertThat(fields(unknown)).containsExactly("categoryId");
        Http.Response missing = http.put("/api/products/" + product + "/category", "{}");
        assertProblem(missing, 400);
        assertThat(fields(missing)).containsExactly("categoryId");
        Http.Response bad = http.put("/api/products/" + product + "/category", "{\"categoryId\": \"pens\"}");
        assertProblem(bad, 400);
        assertThat(fields(bad)).containsExactly("categoryId");
        Http.Response add = http.post("/api/products", "{\"sku\": \"" + sku() + "\", \"name\": \"Pen\", \"price\": "
                + PRICE + ", \"weightGrams\": 10, \"categoryId\": \"" + UUID.randomUUID() + "\"}");
        assertProblem(add, 422);
        assertThat(fields(add)).containsExactly("categoryId");
        assertProblem(http.put("/api/products/" + UUID.randomUUID() + "/category",
                "{\"categoryId\": \"" + UUID.randomUUID() + "\"}"), 404);
        assertThat(eventCount()).isEqualTo(before);
        assertThat(eventStore.queryForObject("SELECT count(*) FROM catalog_registry.product_category WHERE product_id = ?",
                Long.class, UUID.fromString(product))).isZero();
    }

    @Test
    void typedAttributesAreReadBackCanonicalAndReplacedAsAWhole() {
        String product = addProduct(null);

        Http.Response set = http.put("/api/products/" + product + "/attributes", """
                {"attributes": [{"name": "Color", "type": "TEXT", "value": " red "},
                                {"name": "weight", "type": "NUMBER", "value": 2.50},
                                {"name": "length", "type": "NUMBER", "value": "0.1"},
                                {"name": "refillable", "type": "BOOLEAN", "value": true}]}""", "If-Match", "\"0\"");

        assertThat(set.status()).as(set.toString()).isEqualTo(204);
        JsonNode read = awaitProduct(product, p -> p.get("attributes").size() == 4);
        assertThat(read.get("version").asLong()).isEqualTo(1);
        assertThat(read.get("attributes").toString()).isEqualTo("""
                [{"name":"color","type":"TEXT","value":"red"},{"name":"length","type":"NUMBER","value":"0.1"},\
                {"name":"refillable","type":"BOOLEAN","value":"true"},{"name":"weight","type":"NUMBER","value":"2.5"}]""");

        assertThat(http.put("/api/products/" + product + "/attributes",
                "{\"attributes\": [{\"name\": \"color\", \"type\": \"TEXT\", \"value\": \"blue\"}]}").status())
                .isEqualTo(204);
        JsonNode replaced = awaitProduct(product, p -> p.get("attributes").size() == 1);
        assertThat(replaced.get("attributes").get(0).get("value").asText()).isEqualTo("blue");
        assertThat(http.put("/api/products/" + product + "/attributes", "{\"attributes\": []}").status()).isEqualTo(204);
        awaitProduct(product, p -> p.get("attributes").isEmpty());
    }

    @Test
    void anAttributeValueThatDoesNotReadAsItsTypeIsA400NamingTheFieldAndWritesNothing() {
        String product = addProduct(null);
        long before = eventCount();
        String[][] cases = {
                {"{\"name\": \"weight\", \"type\": \"NUMBER\", \"value\": \"abc\"}", "attributes[1].value"},
                {"{\"name\": \"weight\", \"type\": \"NUMBER\", \"value\": 1e2147483647}", "attributes[1].value"},
                {"{\"name\": \"weight\", \"type\": \"NUMBER\", \"value\": \"0.0000001\"}", "attributes[1].value"},
                {"{\"name\": \"refillable\", \"type\": \"BOOLEAN\", \"value\": \"yes\"}", "attributes[1].value"},
                {"{\"name\": \"color\", \"type\": \"TEXT\", \"value\": {\"nested\": true}}", "attributes[1].value"},
                {"{\"name\": \"color\", \"type\": \"TEXT\", \"value\": \"a\\u0000b\"}", "attributes[1].value"},
                {"{\"name\": \"color\", \"type\": \"TEXT\"}", "attributes[1].value"},
                {"{\"name\": \"color\", \"type\": \"COLOUR\", \"value\": \"red\"}", "attributes[1].type"},
                {"{\"name\": \"nib.size\", \"type\": \"TEXT\", \"value\": \"fine\"}", "attributes[1].name"},
                {"{\"name\": \"SIZE\", \"type\": \"TEXT\", \"value\": \"fine\"}", "attributes[1].name"}};
        for (String[] bad : cases) {
            Http.Response response = http.put("/api/products/" + product + "/attributes", "{\"attributes\": ["
                    + "{\"name\": \"size\", \"type\": \"TEXT\", \"value\": \"M\"}, " + bad[0] + "]}");
            assertProblem(response, 400);
            assertThat(fields(response)).as(bad[0]).containsExactly(bad[1]);
        }
        Http.Response missing = http.put("/api/products/" + product + "/attributes", "{}");
        assertProblem(missing, 400);
        assertThat(fields(missing)).containsExactly("attributes");
        assertProblem(http.put("/api/products/" + UUID.randomUUID() + "/attributes", "{\"attributes\": []}"), 404);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void listsFilterByAttributeValueAndNumberRangeTogetherWithTheCategory() {
        String category = create(unique("Filtered"), null);
        String redLight = addProduct(category);
        String redHeavy = addProduct(category);
        String blue = addProduct(category);
        String bare = addProduct(category);
        attributes(redLight, "{\"name\": \"color\", \"type\": \"TEXT\", \"value\": \"red\"}, "
                + "{\"name\": \"weight\", \"type\": \"NUMBER\", \"value\": 1.5}, "
                + "{\"name\": \"refillable\", \"type\": \"BOOLEAN\", \"value\": true}");
        attributes(redHeavy, "{\"name\": \"color\", \"type\": \"TEXT\", \"value\": \"red\"}, "
                + "{\"name\": \"weight\", \"type\": \"NUMBER\", \"value\": 12}");
        attributes(blue, "{\"name\": \"color\", \"type\": \"TEXT\", \"value\": \"blue\"}, "
                + "{\"name\": \"weight\", \"type\": \"NUMBER\", \"value\": \"2\"}");
        String in = "category=" + category;
        awaitList(in + "&attr.color=blue", ids -> ids.contains(blue));
        awaitList(in + "&attr.weight.min=0", ids -> ids.size() == 3);

        assertThat(listIds(in + "&attr.color=red")).containsExactlyInAnyOrder(redLight, redHeavy);
        assertThat(listIds(in + "&attr.color=red&attr.weight.max=2")).containsExactly(redLight);
        assertThat(listIds(in + "&attr.weight.min=1.5&attr.weight.max=2.0")).containsExactlyInAnyOrder(redLight, blue);
        assertThat(listIds(in + "&attr.weight=12.000")).containsExactly(redHeavy);
        assertThat(listIds(in + "&attr.refillable=TRUE")).containsExactly(redLight);
        assertThat(listIds(in + "&attr.color=green")).isEmpty();
        assertThat(listIds(in + "&attr.weight.min=100")).isEmpty();
        assertThat(listIds(in)).contains(bare).hasSize(4);
        assertThat(pageThrough(in + "&attr.weight.min=0&limit=1")).doesNotHaveDuplicates().isSorted().hasSize(3);
    }

    @Test
    void aBadCategoryOrAttributeFilterIsA400NamingTheParameter() {
        String[][] cases = {
                {"category=pens", "category"},
                {"attr.weight.min=abc", "attr.weight.min"},
                {"attr.weight.max=1e2147483647", "attr.weight.max"},
                {"attr.weight.min=0.0000001", "attr.weight.min"},
                {"attr.Color=red", "attr.Color"},
                {"attr.=red", "attr."},
                {"attr.color=", "attr.color"},
                {"attr.color=red&attr.color=blue", "attr.color"}};
        for (String[] bad : cases) {
            Http.Response response = http.get("/api/products?" + bad[0]);
            assertProblem(response, 400);
            assertThat(fields(response)).as(bad[0]).containsExactly(bad[1]);
        }
        StringBuilder many = new StringBuilder("/api/products?");
        for (int i = 0; i < 11; i++) {
            many.append("attr.a").append(i).append("=x&");
        }
        Http.Response tooMany = http.get(many.toString());
        assertProblem(tooMany, 400);
        assertThat(fields(tooMany)).containsExactly("attr");
    }

    @Test
    void replayingTheCatalogsProcessorsRebuildsExactlyTheTreeTheProductsAndTheirAttributes() {
        String root = create(unique("Replayed"), null);
        String a = create("A", root);
        String b = create("B", root);
        String c = create("C", a);
        assertThat(http.put("/api/categories/" + a + "/parent", "{\"parentId\": \"" + b + "\"}").status()).isEqualTo(204);
        assertThat(http.put("/api/categories/" + c + "/name", "{\"name\": \"Renamed\"}").status()).isEqualTo(204);
        String gone = create("Gone", root);
        assertThat(http.request("DELETE", "/api/categories/" + gone, null).status()).isEqualTo(204);
        String product = addProduct(c);
        attributes(product, "{\"name\": \"weight\", \"type\": \"NUMBER\", \"value\": 3}");
        JdbcTemplate catalog = stores.get("catalog").jdbc();
        Http operator = identities.operator();
        for (String processor : List.of("categories", "products")) {
            await().atMost(WAIT).until(() ->
                    operator.get("/api/ops/processors/" + processor).json().get("lagEvents").asLong() == 0);
        }
        List<Map<String, Object>> categories = catalog.queryForList("SELECT * FROM categories ORDER BY category_id");
        List<Map<String, Object>> products = catalog.queryForList("SELECT * FROM products ORDER BY product_id");
        List<Map<String, Object>> attributes = catalog.queryForList(
                "SELECT * FROM product_attributes ORDER BY product_id, name");
        assertThat(categories).extracting(row -> row.get("path").toString())
                .contains("/" + root + "/" + b + "/" + a + "/" + c + "/");

        for (String processor : List.of("categories", "products")) {
            Http.Response started = operator.post("/api/ops/processors/" + processor + "/replay", null);
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            String replay = started.json().get("replayId").asText();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    operator.get("/api/ops/replays/" + replay).json().get("outcome").asText().equals("COMPLETED"));
        }

        assertThat(catalog.queryForList("SELECT * FROM categories ORDER BY category_id")).isEqualTo(categories);
        assertThat(catalog.queryForList("SELECT * FROM products ORDER BY product_id")).isEqualTo(products);
        assertThat(catalog.queryForList("SELECT * FROM product_attributes ORDER BY product_id, name"))
                .isEqualTo(attributes);
        assertThat(listIds("category=" + b + "&attr.weight.min=3")).containsExactly(product);
    }

    private String create(String name, String parent) {
        Http.Response created = http.post("/api/categories", "{\"name\": \"" + name + "\""
                + (parent == null ? "" : ", \"parentId\": \"" + parent + "\"") + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("categoryId").asText();
    }

    private String addProduct(String category) {
        Http.Response created = http.post("/api/products", "{\"sku\": \"" + sku() + "\", \"name\": \"Pen\", \"price\": "
                + PRICE + ", \"weightGrams\": 10" + (category == null ? "" : ", \"categoryId\": \"" + category + "\"")
                + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("productId").asText();
    }

    private void attributes(String product, String attributes) {
        Http.Response set = http.put("/api/products/" + product + "/attributes", "{\"attributes\": [" + attributes + "]}");
        assertThat(set.status()).as(set.toString()).isEqualTo(204);
    }

    private JsonNode awaitCategory(String id, Predicate<JsonNode> condition) {
        return awaitJson("/api/categories/" + id, condition);
    }

    private JsonNode awaitProduct(String id, Predicate<JsonNode> condition) {
        return awaitJson("/api/products/" + id, condition);
    }

    private JsonNode awaitJson(String path, Predicate<JsonNode> condition) {
        return Awaits.awaitFound(http, path, condition);
    }

    /** The root category's node in GET /api/categories. */
    private JsonNode rootNode(String id) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode root : http.get("/api/categories").json().get("categories")) {
                if (root.get("categoryId").asText().equals(id)) {
                    found[0] = root;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private void awaitList(String query, Predicate<List<String>> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> condition.test(listIds(query)));
    }

    private List<String> listIds(String query) {
        Http.Response page = http.get("/api/products?limit=100&" + query);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return ids(page.json().get("items"));
    }

    private List<String> pageThrough(String query) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Http.Response page = http.get("/api/products?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            seen.addAll(ids(page.json().get("items")));
            JsonNode next = page.json().get("nextCursor");
            cursor = next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null && pages < 100);
        return seen;
    }

    private static List<String> ids(JsonNode nodes) {
        List<String> ids = new ArrayList<>();
        nodes.forEach(n -> ids.add(n.has("productId") ? n.get("productId").asText() : n.get("categoryId").asText()));
        return ids;
    }

    private static List<String> fields(Http.Response response) {
        List<String> fields = new ArrayList<>();
        JsonNode errors = response.json().get("errors");
        if (errors != null) {
            errors.forEach(e -> fields.add(e.get("field").asText()));
        }
        return fields;
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

    private static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sku() {
        return "SKU-" + UUID.randomUUID().toString().toUpperCase();
    }
}
