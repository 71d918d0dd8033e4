package org.orderly.config.web;

import java.io.IOException;
import java.util.OptionalLong;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.orderly.config.eventstore.AppendedPositions;
import org.springframework.security.web.util.OnCommittedResponseWrapper;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives a successful command answer its {@code Orderly-Position}: the global index of the last event the request
 * stored, captured on the request's thread as the event store appends ({@link AppendedPositions}). The header is
 * set just before the answer is committed, whether by its body or by the end of the request; an answer that stored
 * nothing, or failed, has none.
 */
class CommandPositionFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || method.equals("TRACE")
                || !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (AppendedPositions.Capture capture = AppendedPositions.capture()) {
            PositionHeader answer = new PositionHeader(response, capture);
            chain.doFilter(request, answer);
            answer.onResponseCommitted();
        }
    }

    private static final class PositionHeader extends OnCommittedResponseWrapper {

        private final HttpServletResponse response;
        private final AppendedPositions.Capture capture;

        PositionHeader(HttpServletResponse response, AppendedPositions.Capture capture) {
            super(response);
            this.response = response;
            this.capture = capture;
        }

        @Override
        protected void onResponseCommitted() {
            OptionalLong position = capture.last();
            int status = response.getStatus();
            if (position.isPresent() && status >= 200 && status < 300 && !response.isCommitted()) {
                response.setHeader(ConsistencyHeaders.POSITION, Long.toString(position.getAsLong()));
            }
        }
    }
}
