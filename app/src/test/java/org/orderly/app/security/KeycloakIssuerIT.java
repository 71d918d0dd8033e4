package org.orderly.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderly.app.OrderlyApplication;
import org.orderly.app.support.Http;
import org.orderly.app.support.KeycloakServer;
import org.orderly.testsupport.OrderlyTestDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Orderly with a real Keycloak as its identity provider: Keycloak's distribution (unpacked by the build into
 * {@code target/keycloak}) runs in development mode with {@code docker/keycloak/orderly-realm.json} imported, and
 * Orderly, started with {@code orderly.security.issuer-uri} pointing at that realm, accepts its access tokens,
 * takes roles from its realm roles and customer ids from its subjects, and nothing else.
 */
class KeycloakIssuerIT {

    private static final Logger log = LoggerFactory.getLogger(KeycloakIssuerIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Development mode rebuilds Keycloak's server at each start: about 100 s on two busy cores, 30 s on a laptop. */
    private static final Duration KEYCLOAK_START = Duration.ofSeconds(240);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static String issuer;
    private static ConfigurableApplicationContext orderly;
    private static Http http;
    private static String aliceId;

    @BeforeAll
    static void startKeycloakAndOrderly() throws Exception {
        issuer = KeycloakServer.shared().issuer();
        orderly = new SpringApplicationBuilder(OrderlyApplication.class)
                .properties(OrderlyTestDatabase.properties())
                .run("--server.port=0", "--orderly.security.issuer-uri=" + issuer);
        http = new Http(((WebServerApplicationContext) orderly).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        if (orderly != null) {
            orderly.close();
        }
    }

    @Test
    void aCustomerSignsUpWithTheirKeycloakTokenAndSeesOnlyTheirOwnRecord() {
        String alice = token("alice");
        Http.Response mine = http.as(alice).get("/api/customers/" + aliceSignedUp());
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.json().get("email").asText()).isEqualTo("alice@example.com");
        assertThat(aliceSignedUp()).as("her customer id is her Keycloak subject").isEqualTo(subject(alice));

        Http bob = http.as(token("bob"));
        assertThat(bob.get("/api/customers/" + aliceSignedUp()).status())
                .as("another customer's record is one that does not exist").isEqualTo(404);
        Http.Response bobsList = bob.get("/api/customers");
        assertThat(bobsList.status()).as(bobsList.toString()).isEqualTo(200);
        assertThat(bobsList.body()).doesNotContain(aliceSignedUp()).doesNotContain("alice@example.com");
    }

    @Test
    void aKeycloakCustomerSignsUpWithoutAPasswordSinceKeycloakKeepsIt() {
        aliceSignedUp();
        Http.Response withPassword = http.as(token("bob")).post("/api/customers",
                "{\"email\": \"bob@example.com\", \"name\": \"Bob Baker\", \"password\": \"correct horse battery staple\"}");
        assertThat(withPassword.status()).as(withPassword.toString()).isEqualTo(400);
        Http.Response anonymous = http.post("/api/customers",
                "{\"email\": \"someone@example.com\", \"name\": \"Someone\", \"password\": \"correct horse battery staple\"}");
        assertThat(anonymous.status()).as("there is no Orderly password to sign up with: " + anonymous)
                .isEqualTo(400);

        Http.Response again = http.as(token("alice")).post("/api/customers",
                "{\"email\": \"alice.again@example.com\", \"name\": \"Alice Again\"}");
        assertThat(again.status()).as("one Keycloak account is one customer: " + again).isEqualTo(409);

        String bobsToken = token("bob");
        Http.Response bob = http.as(bobsToken).post("/api/customers",
                "{\"email\": \"bob@example.com\", \"name\": \"Bob Baker\"}");
        assertThat(bob.status()).as(bob.toString()).isEqualTo(201);
        assertThat(bob.json().get("customerId").asText()).isEqualTo(subject(bobsToken));
    }

    @Test
    void keycloakRolesDecideWhatEachPersonMayDo() {
        String customerId = aliceSignedUp();
        Http sam = http.as(token("sam"));
        Http alice = http.as(token("alice"));
        Http olga = http.as(token("olga"));

        Http.Response product = sam.post("/api/products", product());
        assertThat(product.status()).as(product.toString()).isEqualTo(201);
        Http.Response limit = sam.put("/api/customers/" + customerId + "/credit-limit",
                "{\"amount\": \"900.00\", \"currency\": \"EUR\"}");
        assertThat(limit.status()).as(limit.toString()).isEqualTo(204);
        await().atMost(WAIT).untilAsserted(() -> assertThat(alice.get("/api/customers/" + customerId).json()
                .path("creditLimit").path("amount").asText()).isEqualTo("900.00"));

        Http.Response aliceCreates = alice.post("/api/products", product());
        assertThat(aliceCreates.status()).as(aliceCreates.toString()).isEqualTo(403);
        assertThat(aliceCreates.header("Content-Type")).startsWith("application/problem+json");

        Http.Response processors = olga.get("/api/ops/processors");
        assertThat(processors.status()).as(processors.toString()).isEqualTo(200);
        assertThat(olga.get("/api/orders").status()).as("an operator does not read orders").isEqualTo(403);
        assertThat(olga.post("/api/products", product()).status()).isEqualTo(403);
    }

    @Test
    void aRequestWithoutAKeycloakTokenIsUnauthorized() throws Exception {
        Http.Response none = http.get("/api/orders");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("Content-Type")).startsWith("application/problem+json");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");

        // everything a Keycloak token of sam's says, but signed by a key that is not the realm's
        String forged = signedByAnotherKey(Map.of("iss", issuer, "aud", List.of("orderly"), "sub",
                UUID.randomUUID().toString(), "azp", "orderly-cli",
                "realm_access", Map.of("roles", List.of("staff", "operator"))));
        Http.Response withForged = http.as(forged).get("/api/customers");
        assertThat(withForged.status()).as(withForged.toString()).isEqualTo(401);
        assertThat(withForged.header("WWW-Authenticate")).startsWith("Bearer").contains("invalid_token");
        assertThat(http.as(forged).post("/api/products", product()).status()).isEqualTo(401);

        Http.Response garbage = http.as("not-a-jwt").get("/api/customers");
        assertThat(garbage.status()).isEqualTo(401);
    }

    @Test
    void aKeycloakTokenForAnotherAudienceIsUnauthorized() throws Exception {
        // a real realm token whose audience is not Orderly's: the account console's, say
        Http.Response token = KeycloakServer.shared().tokenResponse("sam", "admin-cli");
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        String accessToken = token.json().get("access_token").asText();
        assertThat(claims(accessToken).path("aud").toString()).doesNotContain("\"orderly\"");
        assertThat(http.as(accessToken).get("/api/customers").status()).isEqualTo(401);
    }

    @Test
    void theEmbeddedIssuerIsOffWhenKeycloakIssuesTheTokens() {
        Http.Response token = http.request("POST", "/oauth2/token", null,
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(token.status()).as(token.toString()).isIn(401, 404);
        Http.Response withForm = http.request("POST", "/oauth2/token?grant_type=password&client_id=orderly-cli"
                + "&username=sam&password=sam-password", null);
        assertThat(withForm.status()).as(withForm.toString()).isIn(401, 404);
        assertThat(http.get("/oauth2/jwks").status()).isIn(401, 404);
        assertThat(http.get("/.well-known/openid-configuration").status()).isIn(401, 404);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Alice, signed up once for the class with her Keycloak token and no password; her customer id. */
    private static synchronized String aliceSignedUp() {
        if (aliceId == null) {
            String alice = token("alice");
            Http.Response created = http.as(alice).post("/api/customers",
                    "{\"email\": \"alice@example.com\", \"name\": \"Alice Adams\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().get("customerId").asText();
            assertThat(id).isEqualTo(subject(alice));
            await().atMost(WAIT).until(() -> http.as(alice).get("/api/customers/" + id).status() == 200);
            aliceId = id;
        }
        return aliceId;
    }

    private static String product() {
        return "{\"sku\": \"KC-" + UUID.randomUUID() + "\", \"name\": \"Keycloak mug\", "
                + "\"price\": {\"amount\": \"9.50\", \"currency\": \"EUR\"}, \"weightGrams\": 300}";
    }

    /** An access token from Keycloak's token endpoint, as the command-line client gets one. */
    private static String token(String username) {
        Http.Response response = KeycloakServer.shared().tokenResponse(username, "orderly-cli");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }

    private static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String subject(String jwt) {
        return claims(jwt).get("sub").asText();
    }

    /** A well-formed RS256 token with these claims, signed by a key of its own. */
    private static String signedByAnotherKey(Map<String, Object> claims) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString()).build();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
        Instant now = Instant.now();
        JwtClaimsSet.Builder set = JwtClaimsSet.builder().issuedAt(now).expiresAt(now.plusSeconds(600));
        claims.forEach(set::claim);
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), set.build()))
                .getTokenValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
