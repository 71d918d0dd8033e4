package org.orderly.config.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Security's refusals as {@code application/problem+json}, like every other Orderly error, keeping the
 * {@code WWW-Authenticate: Bearer} challenge (with RFC 6750's error code) that Spring Security computes.
 */
public final class SecurityProblems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SecurityProblems() {
    }

    /** 401 for a missing, malformed, expired or foreign token. */
    public static AuthenticationEntryPoint bearerEntryPoint() {
        BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
        return (request, response, e) -> {
            challenge.commence(request, response, e);
            write(response, HttpStatus.UNAUTHORIZED, request.getHeader("Authorization") == null
                    ? "A bearer token is required" : "The bearer token is not valid");
        };
    }

    /** 403 for a valid token whose roles do not allow the operation. */
    public static AccessDeniedHandler forbidden() {
        BearerTokenAccessDeniedHandler challenge = new BearerTokenAccessDeniedHandler();
        return (request, response, e) -> {
            challenge.handle(request, response, e);
            write(response, HttpStatus.FORBIDDEN, e instanceof org.springframework.security.web.csrf.CsrfException
                    ? "The CSRF token of the signed-in page is missing or wrong" : "Your roles do not allow this operation");
        };
    }

    public static void write(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        ObjectNode body = JSON.createObjectNode()
                .put("type", "about:blank")
                .put("title", status.getReasonPhrase())
                .put("status", status.value())
                .put("detail", detail);
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
