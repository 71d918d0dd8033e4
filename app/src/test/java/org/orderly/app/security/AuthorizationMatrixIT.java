package org.orderly.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.orderly.app.support.Shop;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.orderly.app.support.CartTestSupport;

/**
 * Every operation of the OpenAPI document, called as anonymous, customer A, customer B, staff and operator,
 * against A's resources: each cell's status is checked against the table below. An operation the table does not
 * know fails the test, so a new endpoint cannot ship without deciding who may call it.
 */
@OrderlyIntegrationTest
class AuthorizationMatrixIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a cell must answer: exactly this status, or (OK) anything a permitted caller may get. */
    enum Expect {
        UNAUTHORIZED(401), FORBIDDEN(403), HIDDEN(404), OK(0);

        final int status;

        Expect(int status) {
            this.status = status;
        }
    }

    private static final Expect N = Expect.UNAUTHORIZED;
    private static final Expect F = Expect.FORBIDDEN;
    private static final Expect H = Expect.HIDDEN;
    private static final Expect Y = Expect.OK;

    /** The callers, in the order each row lists them. */
    private static final List<String> CALLERS = List.of("anonymous", "customer B", "staff", "operator", "customer A");

    /**
     * The matrix: operation -> expected answer for anonymous, customer B, staff, operator, customer A. Path
     * parameters name A's resources. A is called last, since some of A's calls change what they touch.
     */
    private static final Map<String, List<Expect>> MATRIX = new LinkedHashMap<>();

    static {
        // sign-up and the catalog are public
        row("POST /api/customers", Y, Y, Y, Y, Y);
        row("GET /api/products", Y, Y, Y, Y, Y);
        row("GET /api/products/{productId}", Y, Y, Y, Y, Y);
        row("GET /api/categories", Y, Y, Y, Y, Y);
        row("GET /api/categories/{categoryId}", Y, Y, Y, Y, Y);
        // a customer's own record
        row("GET /api/customers", N, Y, Y, F, Y);
        row("GET /api/customers/{customerId}", N, H, Y, F, Y);
        row("PUT /api/customers/{customerId}/email", N, H, F, F, Y);
        row("PUT /api/customers/{customerId}/password", N, H, F, F, Y);
        row("PUT /api/customers/{customerId}/credit-limit", N, F, Y, F, F);
        row("POST /api/customers/{customerId}/deactivation", N, H, F, F, Y);
        row("POST /api/customers/{customerId}/erasure", N, H, Y, F, Y);
        row("GET /api/customers/{customerId}/erasure", N, H, Y, F, Y);
        row("GET /api/customers/{customerId}/export", N, H, Y, F, Y);
        // a customer's address book: theirs to change, staff's to read
        row("GET /api/customers/{customerId}/addresses", N, H, Y, F, Y);
        row("GET /api/customers/{customerId}/addresses/{addressId}", N, H, Y, F, Y);
        row("POST /api/customers/{customerId}/addresses", N, H, F, F, Y);
        row("PUT /api/customers/{customerId}/addresses/{addressId}", N, H, F, F, Y);
        row("DELETE /api/customers/{customerId}/addresses/{addressId}", N, H, F, F, Y);
        // catalog changes and stock
        row("POST /api/products", N, F, Y, F, F);
        row("PUT /api/products/{productId}/price", N, F, Y, F, F);
        row("PUT /api/products/{productId}/name", N, F, Y, F, F);
        row("POST /api/products/{productId}/discontinuation", N, F, Y, F, F);
        row("PUT /api/products/{productId}/category", N, F, Y, F, F);
        row("PUT /api/products/{productId}/attributes", N, F, Y, F, F);
        row("POST /api/categories", N, F, Y, F, F);
        row("PUT /api/categories/{categoryId}/name", N, F, Y, F, F);
        row("PUT /api/categories/{categoryId}/parent", N, F, Y, F, F);
        row("DELETE /api/categories/{categoryId}", N, F, Y, F, F);
        row("POST /api/inventory/{productId}/receipts", N, F, Y, F, F);
        row("GET /api/inventory/{productId}", N, Y, Y, F, Y);
        // orders and what follows them
        row("POST /api/orders", N, H, F, F, Y);
        row("POST /api/orders/{orderId}/cancellation", N, H, F, F, Y);
        row("GET /api/orders", N, Y, Y, F, Y);
        row("GET /api/orders/{orderId}", N, H, Y, F, Y);
        row("GET /api/payments", N, Y, Y, F, Y);
        row("GET /api/payments/{paymentId}", N, H, Y, F, Y);
        row("GET /api/shipments", N, Y, Y, F, Y);
        row("GET /api/shipments/{shipmentId}", N, H, Y, F, Y);
        row("POST /api/shipments/{shipmentId}/dispatch", N, F, Y, F, F);
        row("POST /api/shipments/{shipmentId}/delivery", N, F, Y, F, F);
        row("GET /api/notifications", N, Y, Y, F, Y);
        row("POST /api/returns", N, H, F, F, Y);
        row("POST /api/returns/{returnId}/receipt", N, F, Y, F, F);
        row("GET /api/returns", N, Y, Y, F, Y);
        row("GET /api/returns/{returnId}", N, H, Y, F, Y);
        // a customer's cart: their own only; staff may read it
        row("POST /api/carts", N, Y, F, F, Y);
        row("GET /api/carts/{cartId}", N, H, Y, F, Y);
        row("POST /api/carts/{cartId}/lines", N, H, F, F, Y);
        row("PUT /api/carts/{cartId}/lines/{productId}", N, H, F, F, Y);
        row("DELETE /api/carts/{cartId}/lines/{productId}", N, H, F, F, Y);
        row("DELETE /api/carts/{cartId}/lines", N, H, F, F, Y);
        // a customer's checkout sessions: their own only; staff may read them
        row("POST /api/checkouts", N, H, F, F, Y);
        row("GET /api/checkouts/{checkoutId}", N, H, Y, F, Y);
        row("PUT /api/checkouts/{checkoutId}/shipping-address", N, H, F, F, Y);
        row("PUT /api/checkouts/{checkoutId}/billing-address", N, H, F, F, Y);
        row("PUT /api/checkouts/{checkoutId}/shipping-method", N, H, F, F, Y);
        row("POST /api/checkouts/{checkoutId}/confirmation", N, H, F, F, Y);
        // workflows: staff follow them, operators retry them
        row("GET /api/workflows", N, F, Y, Y, F);
        row("GET /api/workflows/{workflowId}", N, F, Y, Y, F);
        row("POST /api/workflows/{workflowId}/retry", N, F, F, Y, F);
        // operations
        row("GET /api/ops/processors", N, F, F, Y, F);
        row("GET /api/ops/processors/{name}", N, F, F, Y, F);
        row("POST /api/ops/processors/{name}/replay", N, F, F, Y, F);
        row("POST /api/ops/processors/{name}/rebuild", N, F, F, Y, F);
        row("GET /api/ops/replays", N, F, F, Y, F);
        row("GET /api/ops/replays/{id}", N, F, F, Y, F);
        row("GET /api/ops/rebuilds", N, F, F, Y, F);
        row("GET /api/ops/rebuilds/{id}", N, F, F, Y, F);
        row("GET /api/ops/sagas/failing-processors", N, F, F, Y, F);
        row("GET /api/ops/sagas/past-deadline", N, F, F, Y, F);
        row("GET /api/ops/dead-letters", N, F, F, Y, F);
        row("POST /api/ops/dead-letters/{id}/retry", N, F, F, Y, F);
        row("POST /api/ops/dead-letters/retry-all", N, F, F, Y, F);
        row("DELETE /api/ops/dead-letters/{id}", N, F, F, Y, F);
        row("POST /api/ops/backups", N, F, F, Y, F);
        row("GET /api/ops/backups", N, F, F, Y, F);
        row("GET /api/ops/backups/{id}", N, F, F, Y, F);
        row("GET /api/ops/retention", N, F, F, Y, F);
        row("POST /api/ops/retention/runs", N, F, F, Y, F);
        // the cluster: nodes, segments and sampled trends
        row("GET /api/ops/cluster", N, F, F, Y, F);
        // master key rotation
        row("POST /api/ops/master-keys/rotation", N, F, F, Y, F);
        row("GET /api/ops/master-keys/rotation", N, F, F, Y, F);
        row("DELETE /api/ops/master-keys/{id}", N, F, F, Y, F);
        // the data-access audit log
        row("GET /api/audit", N, F, F, Y, F);
    }

    private static void row(String operation, Expect... cells) {
        MATRIX.put(operation, List.of(cells));
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    @Autowired
    JWKSource<SecurityContext> issuerKeys;
    @Autowired
    AuthorizationServerSettings issuer;

    private Identities identities;
    private Shop shop;

    @BeforeEach
    void setUp() {
        identities = new Identities(port);
        shop = new Shop(identities);
    }

    /** A's world: a delivered order with its payment, shipment, return and workflow, a pending one, a product. */
    private record World(String a, String b, Http asA, Http asB, String product, String spareProduct,
                         String delivered, String pending, String payment, String shipment, String returnId,
                         String cart, String address, String checkout) {
    }

    private World world() {
        String a = shop.customer("100000.00");
        String b = shop.customer("100000.00");
        String product = shop.product("Matrix pen", "2.00");
        String spare = shop.product("Matrix spare", "2.00");
        shop.receive(product, 1000);
        String delivered = shop.place(a, Shop.line(product, 2));
        shop.awaitOrderStatus(delivered, "CONFIRMED");
        String shipment = shop.awaitShipment(delivered, s -> true).get("shipmentId").asText();
        assertThat(shop.http().post("/api/shipments/" + shipment + "/dispatch", null).status()).isEqualTo(204);
        assertThat(shop.http().post("/api/shipments/" + shipment + "/delivery", null).status()).isEqualTo(204);
        shop.awaitOrderStatus(delivered, "DELIVERED");
        String payment = shop.awaitPayment(delivered, "CAPTURED").get("paymentId").asText();
        Http asA = shop.as(a);
        Http.Response[] requested = new Http.Response[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            requested[0] = asA.post("/api/returns", returnBody(delivered, product));
            return requested[0].status() == 202;
        });
        String returnId = requested[0].json().get("returnId").asText();
        String pending = shop.place(a, Shop.line(product, 1));
        String cart = CartTestSupport.open(asA);
        CartTestSupport.added(asA, cart, product, 1);
        Http.Response address = asA.post("/api/customers/" + a + "/addresses", ADDRESS);
        assertThat(address.status()).as(address.toString()).isEqualTo(201);
        String[] checkout = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Http.Response started = asA.post("/api/checkouts", "{\"cartId\": \"" + cart + "\"}");
            checkout[0] = started.status() == 201 ? started.json().get("checkoutId").asText() : null;
            return started.status() != 503;
        });
        assertThat(checkout[0]).as("A's checkout started").isNotNull();
        return new World(a, b, asA, shop.as(b), product, spare, delivered, pending, payment, shipment, returnId,
                cart, address.json().get("addressId").asText(), checkout[0]);
    }

    private static final String ADDRESS = "{\"recipientName\": \"Matrix\", \"line1\": \"1 Matrix Road\", "
            + "\"postalCode\": \"10115\", \"city\": \"Berlin\", \"country\": \"DE\"}";

    private static String returnBody(String orderId, String productId) {
        return "{\"orderId\": \"" + orderId + "\", \"lines\": [" + Shop.line(productId, 1) + "], \"reason\": \"too blue\"}";
    }

    @Test
    void everyOperationAnswersEachRoleAsTheRoleTableSaysAndAnotherCustomersResourcesAsIfTheyDidNotExist() {
        World world = world();
        Set<String> documented = operations();
        assertThat(MATRIX.keySet()).as("operations the matrix decides but the API document lacks")
                .isSubsetOf(documented);
        Set<String> undecided = new TreeSet<>(documented);
        undecided.removeAll(MATRIX.keySet());
        assertThat(undecided).as("operations without a row in the authorization matrix").isEmpty();

        Map<String, Http> callers = Map.of("anonymous", identities.anonymous(), "customer B", world.asB(),
                "staff", identities.staff(), "operator", identities.operator(), "customer A", world.asA());
        List<String> failures = new ArrayList<>();
        for (int caller = 0; caller < CALLERS.size(); caller++) {
            // A's own calls run with deactivation and then erasure last: they end what A may do
            List<String> operations = new ArrayList<>(MATRIX.keySet());
            operations.sort(java.util.Comparator.comparingInt(AuthorizationMatrixIT::endsWhatACustomerMayDo));
            for (String operation : operations) {
                Expect expected = MATRIX.get(operation).get(caller);
                Http.Response response = call(callers.get(CALLERS.get(caller)), operation, world);
                String cell = operation + " as " + CALLERS.get(caller) + ": expected "
                        + (expected == Expect.OK ? "a permitted answer" : expected.status) + ", got " + response;
                if (!holds(expected, response)) {
                    failures.add(cell);
                }
            }
        }
        assertThat(failures).as("cells of the matrix that do not hold").isEmpty();
    }

    private static int endsWhatACustomerMayDo(String operation) {
        return operation.equals("POST /api/customers/{customerId}/erasure") ? 2
                : operation.endsWith("/deactivation") ? 1 : 0;
    }

    private static boolean holds(Expect expected, Http.Response response) {
        int status = response.status();
        if (status >= 500) {
            return false;
        }
        if (expected == Expect.OK) {
            return status != 401 && status != 403;
        }
        if (status != expected.status || !response.header("Content-Type").startsWith("application/problem+json")) {
            return false;
        }
        return expected != Expect.UNAUTHORIZED || String.valueOf(response.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void aCustomersListsShowOnlyTheirOwnItemsAndStaffSeeEveryones() {
        World world = world();
        for (String list : List.of("/api/orders", "/api/payments", "/api/shipments", "/api/returns", "/api/customers",
                "/api/notifications")) {
            String mine = world.asA().get(list + "?limit=100").body();
            String theirs = world.asB().get(list + "?limit=100").body();
            String owned = list.equals("/api/customers") || list.equals("/api/notifications") ? world.a()
                    : list.equals("/api/orders") ? world.delivered()
                    : list.equals("/api/payments") ? world.payment()
                    : list.equals("/api/shipments") ? world.shipment() : world.returnId();
            if (!list.equals("/api/notifications")) {
                assertThat(mine).as(list + " as A").contains(owned);
            }
            assertThat(theirs).as(list + " as B").doesNotContain(world.a()).doesNotContain(owned);
        }
        // asking for A's items by filter shows B nothing either
        assertThat(world.asB().get("/api/orders?customerId=" + world.a()).json().get("items")).isEmpty();
        assertThat(world.asB().get("/api/payments?orderId=" + world.delivered()).json().get("items")).isEmpty();
        assertThat(world.asB().get("/api/shipments?orderId=" + world.delivered()).json().get("items")).isEmpty();
        assertThat(world.asB().get("/api/returns?orderId=" + world.delivered()).json().get("items")).isEmpty();
        assertThat(identities.staff().get("/api/orders?customerId=" + world.a()).body()).contains(world.delivered());
    }

    @Test
    void everyEventACommandCausesRecordsWhoSentIt() {
        Identities.Customer ada = identities.customer("Ada");
        Http.Response changed = ada.http().put("/api/customers/" + ada.id() + "/email",
                "{\"email\": \"ada-" + UUID.randomUUID() + "@example.com\"}");
        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);

        String metaData = new String(eventStore.queryForObject("""
                SELECT meta_data FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1
                """, byte[].class, ada.id()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(metaData).contains("\"actorSubject\":\"" + ada.id() + "\"").contains("\"actorRoles\":\"CUSTOMER\"")
                .doesNotContain(ada.email());
        String registered = new String(eventStore.queryForObject("""
                SELECT meta_data FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? ORDER BY sequence_number LIMIT 1
                """, byte[].class, ada.id()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(registered).as("a sign-up is anonymous").contains("\"actorRoles\":\"\"");
    }

    @Test
    void aTokenThatIsForgedExpiredFromAnotherIssuerOrForAnotherAudienceIsA401Problem() {
        String valid = identities.token("staff", Identities.STAFF_PASSWORD);
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        String expired = sign(claims -> claims.issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)));
        String otherIssuer = sign(claims -> claims.issuer("https://issuer.example.com"));
        String otherAudience = sign(claims -> claims.audience(List.of("another-service")));
        String good = sign(claims -> claims);
        Http anonymous = identities.anonymous();

        assertThat(anonymous.as(good).get("/api/orders").status()).as("the control token").isEqualTo(200);
        for (String token : List.of(forged, expired, otherIssuer, otherAudience, "not-a-jwt")) {
            Http.Response response = anonymous.as(token).get("/api/orders");
            ApiAssertions.assertProblem(response, 401);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        }
        Http.Response none = anonymous.get("/api/orders");
        ApiAssertions.assertProblem(none, 401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedFailuresAreThrottledWithRetryAfter() {
        Identities.Customer grace = identities.customer("Grace");
        Identities.TokenResponse wrong = identities.requestToken(grace.email(), "not her password at all");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("invalid_grant").doesNotContain(grace.email());
        Identities.TokenResponse last = wrong;
        for (int i = 0; i < 10 && last.status() != 429; i++) {
            last = identities.requestToken(grace.email(), "not her password at all");
        }
        assertThat(last.status()).as(last.body()).isEqualTo(429);
        assertThat(last.headers().get("retry-after")).isNotEmpty();
        // the right password waits for the bucket as well: guessing cannot go on by interleaving it
        assertThat(identities.requestToken(grace.email(), Identities.CUSTOMER_PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void aCustomerCannotSetACreditLimitAtSignUpAndThePasswordIsNeverStoredOutsideTheIdentityStore() {
        String email = "limit-" + UUID.randomUUID() + "@example.com";
        Http.Response refused = identities.anonymous().post("/api/customers", "{\"email\": \"" + email
                + "\", \"name\": \"Greedy\", \"password\": \"" + Identities.CUSTOMER_PASSWORD
                + "\", \"creditLimit\": {\"amount\": \"1000000\", \"currency\": \"EUR\"}}");
        ApiAssertions.assertProblem(refused, 400);
        assertThat(refused.body()).contains("creditLimit");

        Identities.Customer signed = identities.customer("Careful");
        Long leaks = eventStore.queryForObject("""
                SELECT count(*) FROM event_store.domain_event_entry
                 WHERE convert_from(payload, 'UTF8') LIKE ? OR convert_from(meta_data, 'UTF8') LIKE ?
                """, Long.class, "%" + Identities.CUSTOMER_PASSWORD + "%", "%" + Identities.CUSTOMER_PASSWORD + "%");
        assertThat(leaks).isZero();
        assertThat(signed.http().get("/api/customers/" + signed.id()).body()).doesNotContain("password");
    }

    @Test
    void anIdempotencyKeyBelongsToItsSenderSoAnotherCustomersSameKeyIsANewKey() {
        String a = shop.customer("1000.00");
        String b = shop.customer("1000.00");
        String product = shop.product("Keyed pen", "1.00");
        shop.receive(product, 100);
        shop.place(a, Shop.line(product, 1));
        shop.place(b, Shop.line(product, 1));
        String key = "key-" + UUID.randomUUID();
        String body = "{\"lines\": [" + Shop.line(product, 1) + "]}";

        Http.Response first = shop.as(a).post("/api/orders", body, "Idempotency-Key", key);
        Http.Response other = shop.as(b).post("/api/orders", body, "Idempotency-Key", key);
        Http.Response retried = shop.as(a).post("/api/orders", body, "Idempotency-Key", key);

        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(other.status()).as(other.toString()).isEqualTo(202);
        assertThat(other.header("Idempotent-Replayed")).isNull();
        assertThat(other.json().get("orderId").asText()).isNotEqualTo(first.json().get("orderId").asText());
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retried.json().get("orderId").asText()).isEqualTo(first.json().get("orderId").asText());
    }

    @Test
    void strictTransportSecurityIsSentOverTlsOnlyAndEveryAnswerCarriesTheSecurityHeaders() {
        Http anonymous = identities.anonymous();
        Http.Response plain = anonymous.get("/api/products");
        Http.Response behindTls = anonymous.get("/api/products", "X-Forwarded-Proto", "https");

        assertThat(plain.header("Strict-Transport-Security")).isNull();
        assertThat(behindTls.header("Strict-Transport-Security")).contains("max-age=");
        assertThat(plain.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(plain.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(plain.header("X-Frame-Options")).isEqualTo("DENY");
    }

    /** A token signed with the embedded issuer's own key, with claims a test chooses. */
    private String sign(Function<JwtClaimsSet.Builder, JwtClaimsSet.Builder> change) {
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(issuer.getIssuer())
                .subject("staff")
                .audience(List.of("orderly"))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300))
                .claim("roles", List.of("staff"));
        return new NimbusJwtEncoder(issuerKeys).encode(JwtEncoderParameters.from(
                JwsHeader.with(SignatureAlgorithm.RS256).build(), change.apply(claims).build())).getTokenValue();
    }

    /** Every operation of the OpenAPI document, as "METHOD /path/{param}". */
    private Set<String> operations() {
        JsonNode paths = identities.anonymous().get("/v3/api-docs").json().get("paths");
        Set<String> operations = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            path.getValue().fieldNames().forEachRemaining(method -> operations.add(method.toUpperCase() + " " + path.getKey()));
        }
        return operations;
    }

    private Http.Response call(Http as, String operation, World world) {
        String method = operation.substring(0, operation.indexOf(' '));
        String template = operation.substring(operation.indexOf(' ') + 1);
        String orderId = template.endsWith("/cancellation") ? world.pending() : world.delivered();
        String productId = template.endsWith("/discontinuation") ? world.spareProduct() : world.product();
        String path = template
                .replace("{customerId}", world.a())
                .replace("{productId}", productId)
                .replace("{orderId}", orderId)
                .replace("{paymentId}", world.payment())
                .replace("{shipmentId}", world.shipment())
                // no such category: the answer shows who may ask, and changes no tree
                .replace("{categoryId}", UUID.randomUUID().toString())
                .replace("{returnId}", world.returnId())
                .replace("{cartId}", world.cart())
                .replace("{addressId}", world.address())
                .replace("{checkoutId}", world.checkout())
                .replace("{workflowId}", WorkflowId.forBusiness("order-fulfilment", world.delivered()).toString())
                // no such processor: the answer shows who may ask, without starting a replay or rebuild
                .replace("{name}", "no-such-processor")
                .replace("{id}", UUID.randomUUID().toString());
        String body = body(method, template, world);
        return as.request(method, path, body);
    }

    private static String body(String method, String template, World world) {
        return switch (method + " " + template) {
            case "POST /api/customers" -> "{\"email\": \"m-" + UUID.randomUUID() + "@example.com\", \"name\": \"Matrix\", "
                    + "\"password\": \"" + Identities.CUSTOMER_PASSWORD + "\"}";
            case "PUT /api/customers/{customerId}/email" -> "{\"email\": \"a-" + UUID.randomUUID() + "@example.com\"}";
            case "PUT /api/customers/{customerId}/password" -> "{\"currentPassword\": \"" + Identities.CUSTOMER_PASSWORD
                    + "\", \"newPassword\": \"" + Identities.CUSTOMER_PASSWORD + "\"}";
            case "PUT /api/customers/{customerId}/credit-limit", "PUT /api/products/{productId}/price" ->
                    "{\"amount\": \"100000.00\", \"currency\": \"EUR\"}";
            case "PUT /api/products/{productId}/name" -> "{\"name\": \"Matrix pen\"}";
            case "PUT /api/products/{productId}/category" -> "{\"categoryId\": \"" + UUID.randomUUID() + "\"}";
            case "PUT /api/products/{productId}/attributes" -> "{\"attributes\": [{\"name\": \"matrix\", "
                    + "\"type\": \"BOOLEAN\", \"value\": true}]}";
            case "POST /api/categories" -> "{\"name\": \"Matrix " + UUID.randomUUID() + "\"}";
            case "PUT /api/categories/{categoryId}/name" -> "{\"name\": \"Matrix\"}";
            case "PUT /api/categories/{categoryId}/parent" -> "{\"parentId\": null}";
            case "POST /api/products" -> "{\"sku\": \"SKU-" + UUID.randomUUID() + "\", \"name\": \"Matrix\", "
                    + "\"price\": {\"amount\": \"1.00\", \"currency\": \"EUR\"}, \"weightGrams\": 10}";
            case "POST /api/inventory/{productId}/receipts" -> "{\"quantity\": 1}";
            case "POST /api/orders" -> "{\"customerId\": \"" + world.a() + "\", \"lines\": ["
                    + Shop.line(world.product(), 1) + "]}";
            case "POST /api/returns" -> returnBody(world.delivered(), world.product());
            case "POST /api/carts/{cartId}/lines" -> Shop.line(world.product(), 1);
            case "PUT /api/carts/{cartId}/lines/{productId}" -> "{\"quantity\": 2}";
            case "POST /api/customers/{customerId}/addresses", "PUT /api/customers/{customerId}/addresses/{addressId}" ->
                    ADDRESS;
            case "POST /api/checkouts" -> "{\"cartId\": \"" + world.cart() + "\"}";
            case "PUT /api/checkouts/{checkoutId}/shipping-address", "PUT /api/checkouts/{checkoutId}/billing-address" ->
                    "{\"addressId\": \"" + world.address() + "\"}";
            case "PUT /api/checkouts/{checkoutId}/shipping-method" -> "{\"method\": \"STANDARD\"}";
            default -> null;
        };
    }
}
