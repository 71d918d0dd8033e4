package org.orderly.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.orderly.app.support.ApiAssertions.assertProblem;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.orderly.app.support.ApiAssertions;
import org.orderly.app.support.Http;
import org.orderly.app.support.Identities;
import org.orderly.app.support.OrderlyIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Abuse and malformed input get a 4xx problem+json and write nothing. Only endpoints that stay public are
 * used (sign-up, the catalogue, the error page); what reaches every endpoint the same way (a query
 * parameter, a header, the body's size and format) is shown on those.
 */
@OrderlyIntegrationTest
class BadInputIT {

    private static final String PASSWORD = "correct horse battery staple";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate eventStore;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void aNulInANameIsA400NamingTheFieldAndWritesNothing() {
        long before = eventCount();
        Http.Response response = http.post("/api/customers", signUp(uniqueEmail(), "Ada\\u0000Lovelace"));

        assertProblem(response, 400);
        assertThat(field(response)).isEqualTo("name");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aNewlineOrDeleteOutsideFreeTextIsA400NamingTheField() {
        long before = eventCount();
        Http.Response newline = http.post("/api/customers", signUp(uniqueEmail(), "Ada\\nLovelace"));
        Http.Response delete = http.post("/api/customers", signUp("c-\u007f" + UUID.randomUUID() + "@example.com", "Ada"));

        assertProblem(newline, 400);
        assertThat(field(newline)).isEqualTo("name");
        assertProblem(delete, 400);
        assertThat(field(delete)).isEqualTo("email");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aNulInAQueryParameterIsA400NamingTheParameter() {
        Http.Response response = http.get("/api/products?status=%00");

        assertProblem(response, 400);
        assertThat(field(response)).isEqualTo("status");
    }

    @Test
    void aControlCharacterInAHeaderIsA400NamingTheHeader() {
        Raw response = raw("GET /api/products HTTP/1.1\r\nHost: localhost\r\nPrefer: wait=1\u0001\r\n"
                + "Connection: close\r\n\r\n");

        // Tomcat refuses it while parsing the headers; the application would name the header if it got that far.
        assertRawProblem(response, 400);
    }

    @Test
    void askingForTheErrorPageDirectlyIsA404Problem() {
        assertProblem(http.get("/error"), 404);
        assertProblem(http.request("POST", "/error", "{}"), 404);
    }

    @Test
    void trailingContentAfterTheJsonDocumentIsA400AndWritesNothing() {
        long before = eventCount();
        Http.Response response = http.post("/api/customers", signUp(uniqueEmail(), "Ada") + " xyz");

        assertProblem(response, 400);
        assertThat(field(response)).isEqualTo("body");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aDuplicateKeyIsA400NamingTheFieldAndWritesNothing() {
        long before = eventCount();
        Http.Response response = http.post("/api/customers", "{\"email\": \"" + uniqueEmail()
                + "\", \"name\": \"Ada\", \"name\": \"Grace\", \"password\": \"" + PASSWORD + "\"}");

        assertProblem(response, 400);
        assertThat(field(response)).isEqualTo("name");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aYamlBodyIsA415AndWritesNothing() {
        long before = eventCount();
        Raw yaml = raw(post("/api/customers", "application/yaml",
                "email: " + uniqueEmail() + "\nname: Ada\npassword: " + PASSWORD + "\n"));

        assertRawProblem(yaml, 415);
        assertThat(yaml.json().get("errors").get(0).get("field").asText()).isEqualTo("Content-Type");
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aJsonBodyOfAStructuredSuffixTypeIsReadAsJson() {
        Raw response = raw(post("/api/customers", "application/merge-patch+json", signUp(uniqueEmail(), "Ada")));

        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsA413BeforeItIsRead() {
        long before = eventCount();
        // 50 MB declared, none of it sent: the answer comes from the Content-Length alone.
        Raw response = raw("POST /api/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 52428800\r\nConnection: close\r\n\r\n{\"email\":");

        assertRawProblem(response, 413);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyLargerThanTheLimitIsA413AndWritesNothing() {
        long before = eventCount();
        StringBuilder body = new StringBuilder("{\"email\": \"" + uniqueEmail() + "\", \"password\": \"" + PASSWORD
                + "\", \"name\": \"");
        body.append("a".repeat(1_200_000)).append("\"}");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /api/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int at = 0; at < bytes.length; at += 8192) {
            int n = Math.min(8192, bytes.length - at);
            request.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            request.write(bytes, at, n);
            request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        Raw response = raw(request.toByteArray());

        assertRawProblem(response, 413);
        assertThat(eventCount()).isEqualTo(before);
    }

    @Test
    void malformedPercentEncodingInThePathIsA400Problem() {
        assertRawProblem(raw(get("/api/products/%zz")), 400);
    }

    @Test
    void pathsTheFirewallRefusesAreA400Problem() {
        assertRawProblem(raw(get("/api/products/..;/x")), 400);
        assertRawProblem(raw(get("/api/products/a%2Fb")), 400);
    }

    @Test
    void oversizedHeadersAreA4xxProblem() {
        Raw response = raw("GET /api/products HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(64 * 1024)
                + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).as(response.toString()).isBetween(400, 499);
        assertThat(response.header("content-type")).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
    }

    @Test
    void aPathWithoutAnAuthorizationRuleIsRefusedAsAProblemWhetherItExistsOrNot() {
        // any path the role table does not name is refused before routing, so no answer tells what exists
        assertRawProblem(raw(get("/no/such/thing")), 401);
        Http.Response asStaff = new Identities(port).staff().get("/no/such/thing");
        ApiAssertions.assertProblem(asStaff, 403);
    }

    @Test
    void theOpenApiDocumentNamesAFixedServerWhateverTheHostHeaderSays() {
        Raw response = raw("GET /v3/api-docs HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("evil.example");
        assertThat(response.json().get("servers").get(0).get("url").asText()).isEqualTo("/");
    }

    private static String field(Http.Response response) {
        return response.json().get("errors").get(0).get("field").asText();
    }

    private static String signUp(String email, String name) {
        return "{\"email\": \"" + email + "\", \"name\": \"" + name + "\", \"password\": \"" + PASSWORD + "\"}";
    }

    private static String uniqueEmail() {
        return "c-" + UUID.randomUUID() + "@example.com";
    }

    private long eventCount() {
        return ApiAssertions.eventCount(eventStore);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    }

    private static String post(String path, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n" + body;
    }

    private static void assertRawProblem(Raw response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("content-type")).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("Tomcat").doesNotContain("<html");
    }

    private Raw raw(String request) {
        return raw(request.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes on a socket, for what a well-behaved client (java.net.http) refuses to send. */
    private Raw raw(byte[] request) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading everything (a body refused by its size).
            }
            return Raw.parse(readResponse(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One response, read up to its end rather than to the end of the stream: after refusing a body by its size,
     * Tomcat keeps the connection open a while to swallow what the client may still send.
     */
    private static byte[] readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            read.write(buffer, 0, n);
            String text = read.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                continue;
            }
            String head = text.substring(0, end).toLowerCase(Locale.ROOT);
            int length = head.indexOf("\r\ncontent-length:");
            if (length >= 0) {
                int lineEnd = head.indexOf("\r\n", length + 2);
                String value = head.substring(length + 17, lineEnd < 0 ? head.length() : lineEnd).trim();
                if (text.length() - end - 4 >= Integer.parseInt(value)) {
                    break;
                }
            } else if (head.contains("transfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n")) {
                break;
            }
        }
        return read.toByteArray();
    }

    record Raw(int status, Map<String, String> headers, String body) {
        private static final ObjectMapper JSON = new ObjectMapper();

        static Raw parse(byte[] bytes) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end < 0 ? text.length() : end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            String body = end < 0 ? "" : text.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Raw(status, headers, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }

        private static String dechunk(String body) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int lineEnd = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, lineEnd).split(";")[0].trim(), 16);
                if (size == 0) {
                    break;
                }
                out.append(body, lineEnd + 2, lineEnd + 2 + size);
                at = lineEnd + 2 + size + 2;
            }
            return out.toString();
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }
}
