package org.orderly.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The HTTP exchanges of the harness, with any service on localhost. */
final class Http {

    /** Reads the answers and writes the JSON report. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A GET with header name/value pairs; an unreachable service throws {@link UncheckedIOException}. */
    HttpResponse<String> get(int port, String path, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path)).GET();
            if (headers.length > 0) {
                request.headers(headers);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JSON POST, with {@code authorization} unless {@code null}. */
    Response post(int port, String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    /** A JSON PUT with {@code authorization}. */
    Response put(int port, String path, String body, String authorization) {
        return send(HttpRequest.newBuilder(uri(port, path)).header("Content-Type", "application/json")
                .header("Authorization", authorization).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** An HTTP exchange as a {@link Response}; status -1 when it failed (the body says why). */
    Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Orderly-Position").orElse(null));
        } catch (IOException e) {
            return new Response(-1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted", null);
        }
    }

    static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
