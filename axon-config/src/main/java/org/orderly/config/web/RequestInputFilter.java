package org.orderly.config.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.lang.NonNull;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What a request carries outside its JSON body, checked before anything reads it: no control character in
 * a query parameter, the path or a header value (400 naming the parameter or header), and a body no larger
 * than {@code orderly.web.max-body-size} (413). A declared Content-Length is checked before a byte is
 * read; a chunked body is counted while it is read and refused as soon as it passes the limit, so no
 * reader (Jackson, the idempotency fingerprint) ever holds more than the limit in memory.
 */
public class RequestInputFilter extends OncePerRequestFilter {

    private final long maxBodyBytes;
    private final ObjectMapper json;

    public RequestInputFilter(long maxBodyBytes, ObjectMapper json) {
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(@NonNull HttpServletRequest request, @NonNull HttpServletResponse response,
                                    @NonNull FilterChain chain) throws ServletException, IOException {
        Problems.FieldError badInput = badQueryParameter(request.getQueryString());
        if (badInput == null) {
            badInput = badPath(request);
        }
        if (badInput == null) {
            badInput = badHeader(request);
        }
        if (badInput != null) {
            problem(response, HttpStatus.BAD_REQUEST, badInput.field() + " " + badInput.reason(), badInput);
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            tooLarge(response);
            return;
        }
        HttpServletRequest limited = request.getContentLengthLong() < 0 ? new LimitedBodyRequest(request, maxBodyBytes) : request;
        try {
            chain.doFilter(limited, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!causedByTooLargeBody(e) || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            tooLarge(response);
        }
    }

    static boolean causedByTooLargeBody(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** The first query parameter holding a control character (in its name or value) or invalid percent-encoding. */
    static Problems.FieldError badQueryParameter(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String rawName = equals < 0 ? pair : pair.substring(0, equals);
            String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
            String name;
            String value;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
                value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Problems.FieldError(printable(rawName), "is not valid percent-encoding");
            }
            if (ControlCharacters.in(name, false)) {
                return new Problems.FieldError("query", "has a parameter name with " + ControlCharacters.reason(name, false)
                        .replace("must not contain ", ""));
            }
            if (ControlCharacters.in(value, false)) {
                return new Problems.FieldError(name, ControlCharacters.reason(value, false));
            }
        }
        return null;
    }

    private static Problems.FieldError badPath(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return ControlCharacters.in(path, false) ? new Problems.FieldError("path", ControlCharacters.reason(path, false)) : null;
    }

    /** Tab is allowed in a header value (RFC 9110, 5.5); no other control character is. */
    private static Problems.FieldError badHeader(HttpServletRequest request) {
        Enumeration<String> names = request.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                String value = values.nextElement().replace('\t', ' ');
                if (ControlCharacters.in(value, false)) {
                    return new Problems.FieldError(name, ControlCharacters.reason(value, false));
                }
            }
        }
        return null;
    }

    private static String printable(String name) {
        return ControlCharacters.in(name, false) ? "query" : name;
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        String detail = "The request body is larger than " + maxBodyBytes + " bytes";
        problem(response, HttpStatus.PAYLOAD_TOO_LARGE, detail,
                new Problems.FieldError("body", "must be at most " + maxBodyBytes + " bytes"));
    }

    private void problem(HttpServletResponse response, HttpStatus status, String detail, Problems.FieldError error)
            throws IOException {
        ProblemDetail problem = Problems.of(status, detail, List.of(error));
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** A body that was read past the limit: answered as a 413 wherever it surfaces. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("The request body is larger than " + limit + " bytes");
        }
    }

    /** Counts the bytes of a body of unknown length as they are read, and fails past the limit. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream in;

        LimitedBodyRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (in == null) {
                in = new CountingInputStream(super.getInputStream(), limit);
            }
            return in;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class CountingInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        CountingInputStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws BodyTooLargeException {
            count += n;
            if (count > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override public boolean isFinished() { return in.isFinished(); }
        @Override public boolean isReady() { return in.isReady(); }
        @Override public void setReadListener(ReadListener listener) { in.setReadListener(listener); }
    }
}
