package org.orderly.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The people tests act as, with tokens from the embedded issuer's token endpoint, exactly as a client gets them
 * ({@code grant_type=password} for {@code orderly-cli}): the {@code staff} and {@code operator} accounts, and
 * customers who sign up with a password.
 */
public final class Identities {

    public static final String STAFF_PASSWORD = "staff-password-for-tests";
    public static final String OPERATOR_PASSWORD = "operator-password-for-tests";
    public static final String CUSTOMER_PASSWORD = "correct horse battery staple";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Tokens of the named accounts, per server: each costs a password hash to get. */
    private static final Map<String, String> NAMED = new ConcurrentHashMap<>();

    /** What a test starts an Orderly with, so that these accounts exist with these passwords. */
    public static final Map<String, Object> PROPERTIES = Map.of(
            "orderly.security.embedded.staff-password", STAFF_PASSWORD,
            "orderly.security.embedded.operator-password", OPERATOR_PASSWORD,
            "orderly.security.embedded.access-token-ttl", "PT2H");

    private final int port;

    public Identities(int port) {
        this.port = port;
    }

    /**
     * A signed-up customer, with a client calling as them.
     *
     * @param position the sign-up answer's {@code Orderly-Position}: a read sending it back finds the customer
     */
    public record Customer(String id, String email, Http http, String position) {
    }

    public Http anonymous() {
        return new Http(port);
    }

    public Http staff() {
        return anonymous().as(NAMED.computeIfAbsent(server() + "/staff", k -> token("staff", STAFF_PASSWORD)));
    }

    /** An {@code Authorization} header value for the operator. */
    public String operatorAuthorization() {
        return "Bearer " + NAMED.computeIfAbsent(server() + "/operator", k -> token("operator", OPERATOR_PASSWORD));
    }

    public Http operator() {
        return anonymous().as(NAMED.computeIfAbsent(server() + "/operator", k -> token("operator", OPERATOR_PASSWORD)));
    }

    /** The server on this port, told apart from an earlier one on the same port by its signing keys. */
    private String server() {
        return port + "/" + anonymous().get("/oauth2/jwks").body().hashCode();
    }

    /** A customer signed up without logging in: their id, and the email they log in with. */
    public record SignedUp(String id, String email) {
    }

    /** Signs up a customer with this name and a unique email, without a token and without logging them in. */
    public static SignedUp signUp(Http http, String name) {
        String email = "c-" + UUID.randomUUID() + "@example.com";
        Http.Response created = http.anonymous().post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \""
                + name + "\", \"password\": \"" + CUSTOMER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new SignedUp(created.json().get("customerId").asText(), email);
    }

    /** Signs up a new customer with a unique email and logs them in. */
    public Customer customer(String name) {
        return customer("c-" + UUID.randomUUID() + "@example.com", name);
    }

    public Customer customer(String email, String name) {
        Http.Response created = anonymous().post("/api/customers", "{\"email\": \"" + email + "\", \"name\": \""
                + name + "\", \"password\": \"" + CUSTOMER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new Customer(created.json().get("customerId").asText(), email,
                anonymous().as(token(email, CUSTOMER_PASSWORD)), created.header("Orderly-Position"));
    }

    /** An access token from the token endpoint, for a login and its password. */
    public String token(String login, String password) {
        TokenResponse response = requestToken(login, password);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("access_token").asText();
    }

    public record TokenResponse(int status, String body, Map<String, java.util.List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    public TokenResponse requestToken(String login, String password) {
        String form = Map.of("grant_type", "password", "client_id", "orderly-cli", "username", login,
                        "password", password).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                                    URI.create("http://localhost:" + port + "/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new TokenResponse(response.statusCode(), response.body(), response.headers().map());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
