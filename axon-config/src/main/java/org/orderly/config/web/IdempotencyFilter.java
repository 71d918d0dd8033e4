package org.orderly.config.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.orderly.api.common.Actor;
import org.orderly.config.security.Actors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.lang.NonNull;
import org.springframework.util.StreamUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * {@code Idempotency-Key} for every POST: the first request with a key runs and its answer is kept;
 * a retry with the same key and the same request gets that answer again without running twice. The
 * same key with a different request is a 422; a retry while the first is still running is a 409.
 * Answers are kept for {@code orderly.idempotency.retention}; 5xx answers, and answers that tell the client to
 * come back ({@code Retry-After}: a conflict with concurrent requests), are not kept, so a retry after a server
 * failure or a conflict runs again. Expired answers are removed by retention (kind {@code idempotency-answers},
 * {@link org.orderly.config.retention.RetentionAutoConfiguration}), so the table stays bounded.
 * <p>
 * An answer may hold a customer's personal data (a refusal quoting what was sent), so each is filed under the
 * customer it concerns: the calling customer, the customer named in the path, or the one a sign-up created
 * (its Location). Erasing the customer deletes their answers ({@code privacy.SubjectErasureListener}, registered by the privacy configuration), as does
 * re-erasing them after a restore.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    private static final Pattern CUSTOMER_PATH = Pattern.compile("^/api/customers/([0-9a-fA-F-]{36})(?:/.*)?$");

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY = 200;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Duration retention;
    private final Clock clock;

    public IdempotencyFilter(JdbcTemplate jdbc, ObjectMapper json, Duration retention, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(@NonNull HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || request.getHeader(HEADER) == null
                || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(@NonNull HttpServletRequest request, @NonNull HttpServletResponse response,
                                    @NonNull FilterChain chain) throws ServletException, IOException {
        String key = request.getHeader(HEADER).strip();
        if (key.isEmpty() || key.length() > MAX_KEY) {
            problem(response, HttpStatus.BAD_REQUEST, HEADER + " must be 1 to " + MAX_KEY + " characters");
            return;
        }
        // keys are the sender's own: another principal's same key is a new key (anonymous callers share one
        // scope, where the request fingerprint keeps one caller from replaying another's answer)
        String principal = request.getUserPrincipal() == null ? "" : request.getUserPrincipal().getName();
        CachedBodyRequest cached = new CachedBodyRequest(request);
        String fingerprint = fingerprint(request, cached.body());
        Instant now = clock.instant();
        jdbc.update("""
                DELETE FROM idempotency.idempotent_request WHERE principal = ? AND idempotency_key = ? AND expires_at < ?
                """, principal, key, Timestamp.from(now));
        int claimed = jdbc.update("""
                INSERT INTO idempotency.idempotent_request
                       (principal, idempotency_key, fingerprint, state, created_at, expires_at)
                VALUES (?, ?, ?, 'IN_PROGRESS', ?, ?) ON CONFLICT (principal, idempotency_key) DO NOTHING
                """, principal, key, fingerprint, Timestamp.from(now), Timestamp.from(now.plus(retention)));
        if (claimed == 0) {
            replay(principal, key, fingerprint, response);
            return;
        }
        ContentCachingResponseWrapper recorder = new ContentCachingResponseWrapper(response);
        boolean kept = false;
        try {
            chain.doFilter(cached, recorder);
            if (recorder.getStatus() < 500 && recorder.getHeader(HttpHeaders.RETRY_AFTER) == null) {
                jdbc.update("""
                        UPDATE idempotency.idempotent_request
                           SET state = 'COMPLETED', status = ?, content_type = ?, location = ?, etag = ?, body = ?,
                               subject_id = ?
                         WHERE principal = ? AND idempotency_key = ?
                        """, recorder.getStatus(), recorder.getContentType(), recorder.getHeader(HttpHeaders.LOCATION),
                        recorder.getHeader(HttpHeaders.ETAG), recorder.getContentAsByteArray(),
                        subjectOf(request, recorder.getHeader(HttpHeaders.LOCATION)), principal, key);
                kept = true;
            }
        } finally {
            if (!kept) {
                jdbc.update("DELETE FROM idempotency.idempotent_request WHERE principal = ? AND idempotency_key = ?",
                        principal, key);
            }
            recorder.copyBodyToResponse();
        }
    }

    private void replay(String principal, String key, String fingerprint, HttpServletResponse response)
            throws IOException {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT * FROM idempotency.idempotent_request WHERE principal = ? AND idempotency_key = ?", principal, key);
        if (rows.isEmpty()) {
            problem(response, HttpStatus.CONFLICT, "The request with this " + HEADER + " has just failed; retry it");
            return;
        }
        Map<String, Object> row = rows.get(0);
        if (!fingerprint.equals(row.get("fingerprint"))) {
            problem(response, HttpStatus.UNPROCESSABLE_ENTITY,
                    "This " + HEADER + " was already used for a different request");
            return;
        }
        if (!"COMPLETED".equals(row.get("state"))) {
            problem(response, HttpStatus.CONFLICT, "A request with this " + HEADER + " is still being processed");
            return;
        }
        response.setStatus((Integer) row.get("status"));
        response.setHeader("Idempotent-Replayed", "true");
        if (row.get("content_type") != null) response.setContentType((String) row.get("content_type"));
        if (row.get("location") != null) response.setHeader(HttpHeaders.LOCATION, (String) row.get("location"));
        if (row.get("etag") != null) response.setHeader(HttpHeaders.ETAG, (String) row.get("etag"));
        byte[] body = (byte[]) row.get("body");
        if (body != null && body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    /** The customer an answer concerns, or {@code null} when it concerns none. */
    static String subjectOf(HttpServletRequest request, String location) {
        Actor actor = Actors.current();
        if (actor != null && actor.has(Actor.Role.CUSTOMER) && actor.customerId() != null) {
            return actor.customerId().toString();
        }
        for (String path : new String[] {request.getRequestURI(), location}) {
            Matcher customer = path == null ? null : CUSTOMER_PATH.matcher(path);
            if (customer != null && customer.matches()) {
                return customer.group(1).toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    /** Deletes every answer that concerns the erased customer, or that they got as the caller. */
    public void erased(String subject) {
        jdbc.update("DELETE FROM idempotency.idempotent_request WHERE subject_id = ? OR principal = ?", subject, subject);
    }

    private void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        ProblemDetail problem = Problems.of(status, detail, List.of(new Problems.FieldError(HEADER, detail)));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    private static String fingerprint(HttpServletRequest request, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(request.getRequestURI().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the body once, for the fingerprint, and serves it again to the handler. */
    private static final class CachedBodyRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request) throws IOException {
            super(request);
            this.body = StreamUtils.copyToByteArray(request.getInputStream());
        }

        byte[] body() {
            return body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override public boolean isFinished() { return in.available() == 0; }
                @Override public boolean isReady() { return true; }
                @Override public void setReadListener(jakarta.servlet.ReadListener listener) { throw new UnsupportedOperationException(); }
                @Override public int read() { return in.read(); }
                @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
