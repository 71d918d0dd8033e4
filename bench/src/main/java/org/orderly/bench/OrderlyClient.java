package org.orderly.bench;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The harness's HTTP client of the all-in-one Orderly: as staff (who register customers and read every customer
 * and order), as operator (the operator API and Prometheus), or with a customer's own token.
 */
final class OrderlyClient {

    private final Http http;
    private final OrderlyProcess orderly;
    /** {@code Authorization} header values, from the embedded issuer's token endpoint once Orderly is ready. */
    private volatile String staffAuthorization;
    private volatile String operatorAuthorization;

    OrderlyClient(Http http, OrderlyProcess orderly) {
        this.http = http;
        this.orderly = orderly;
    }

    /** Tokens of the staff and operator accounts; again after a restart, whose issuer key is new. */
    void login() {
        staffAuthorization = "Bearer " + token("staff", orderly.staffPassword());
        operatorAuthorization = "Bearer " + token("operator", orderly.operatorPassword());
    }

    /** An access token from the embedded issuer ({@code grant_type=password}, client {@code orderly-cli}). */
    String token(String login, String password) {
        String form = "grant_type=password&client_id=orderly-cli&username="
                + URLEncoder.encode(login, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        Response response = http.send(HttpRequest.newBuilder(Http.uri(orderly.httpPort(), "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (response.status() != 200) {
            throw new IllegalStateException("no token for " + login + ": " + response.status() + " " + response.body());
        }
        return response.json().get("access_token").asText();
    }

    String staffAuthorization() {
        return staffAuthorization;
    }

    /** A GET as staff, with more header name/value pairs. */
    HttpResponse<String> get(String path, String... headers) {
        List<String> all = new ArrayList<>(List.of(headers));
        all.addAll(List.of("Authorization", staffAuthorization));
        return http.get(orderly.httpPort(), path, all.toArray(String[]::new));
    }

    /** A GET with exactly the headers given (none: anonymous). */
    HttpResponse<String> getWith(String path, String... headers) {
        return http.get(orderly.httpPort(), path, headers);
    }

    /** A POST as staff. */
    Response post(String path, String body) {
        return post(path, body, staffAuthorization);
    }

    Response post(String path, String body, String authorization) {
        return http.post(orderly.httpPort(), path, body, authorization);
    }

    Response put(String path, String body, String authorization) {
        return http.put(orderly.httpPort(), path, body, authorization);
    }

    /** A GET as operator. */
    Response opsGet(String path) {
        return http.send(HttpRequest.newBuilder(Http.uri(orderly.httpPort(), path))
                .header("Authorization", operatorAuthorization).GET().build());
    }

    /** An operator endpoint's JSON answer, or {@code null} when it did not answer 2xx. */
    JsonNode opsJson(String path) {
        Response response = opsGet(path);
        return response.status() / 100 == 2 ? response.json() : null;
    }

    Response opsPost(String path) {
        return http.send(HttpRequest.newBuilder(Http.uri(orderly.httpPort(), path))
                .header("Authorization", operatorAuthorization).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Waits up to 60 s for a GET as staff to answer {@code status}. */
    void awaitStatus(String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (get(path).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(path + " never answered " + status);
            }
            Thread.sleep(10);
        }
    }
}
