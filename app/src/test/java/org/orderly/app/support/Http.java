package org.orderly.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain HTTP client for tests: what a real client sends, nothing Spring adds. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient client = CLIENT;
    private final String base;
    private final String authorization;

    /** An anonymous client: no credentials. */
    public Http(int port) {
        this("http://localhost:" + port, null);
    }

    private Http(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The same server, calling with this bearer token. */
    public Http as(String bearerToken) {
        return new Http(base, "Bearer " + bearerToken);
    }

    /** The same server, without credentials. */
    public Http anonymous() {
        return new Http(base, null);
    }

    public Response get(String path, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(base + path)), headers).GET());
    }

    public Response post(String path, String json, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(base + path)), headers)
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(URI.create(base + path)), headers)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any method, with or without a JSON body, with headers as name-value pairs. */
    public Response request(String method, String path, String json, String... headers) {
        HttpRequest.Builder builder = withHeaders(HttpRequest.newBuilder(URI.create(base + path)), headers);
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Every page of a paged list, from its first page along each page's {@code nextCursor}, as the JSON bodies.
     *
     * @param path the list's path with its query ({@code limit} and filters), without a cursor
     */
    public List<JsonNode> pages(String path) {
        List<JsonNode> pages = new ArrayList<>();
        String cursor = null;
        do {
            Response page = get(path + (cursor == null ? "" : (path.contains("?") ? "&" : "?") + "cursor=" + cursor));
            if (page.status() != 200) {
                throw new AssertionError("A page of " + path + ": " + page);
            }
            JsonNode body = page.json();
            pages.add(body);
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
        } while (cursor != null && pages.size() < 1000);
        return pages;
    }

    /** The items of every page, in order. */
    public static List<JsonNode> items(List<JsonNode> pages) {
        List<JsonNode> items = new ArrayList<>();
        pages.forEach(page -> page.get("items").forEach(items::add));
        return items;
    }

    /** An HTTP Basic Authorization header value. */
    public static String basic(String username, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder withHeaders(HttpRequest.Builder builder, String... headers) {
        boolean explicit = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            explicit |= headers[i].equalsIgnoreCase("Authorization");
        }
        if (authorization != null && !explicit) {
            builder.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + raw.body(), e);
            }
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.body();
        }
    }
}
