package org.orderly.config.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page ({@code /error}) as problem+json, in place of Spring Boot's: what the servlet container
 * forwards here (an exception thrown in a filter, a {@code sendError} from Spring Security or Tomcat) keeps
 * its status and is told in the same form as every other error, whatever the client accepts. Asked for
 * directly, without an error to report, it is a 404 like any other path that names nothing.
 */
@Controller
public class ProblemErrorController implements ErrorController {

    private final ObjectMapper json;

    public ProblemErrorController(ObjectMapper json) {
        this.json = json;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        ProblemDetail problem;
        if (!(code instanceof Integer status) || status < 400) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No resource at " + request.getRequestURI());
        } else if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure
                && ProblemAdvice.databaseUnreachable(failure)) {
            // A filter that needs the database (Idempotency-Key) could not reach it: as a controller's call would.
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemAdvice.DATABASE_UNREACHABLE);
            response.setHeader(HttpHeaders.RETRY_AFTER, ProblemAdvice.DATABASE_RETRY_AFTER);
        } else {
            problem = problemFor(status);
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** A problem for a status alone: the container's own message may name internals, so it is never echoed. */
    static ProblemDetail problemFor(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        String detail = switch (status) {
            case 400 -> "The request is malformed (its path, query, headers or encoding)";
            case 404 -> "No resource at this path";
            case 405 -> "This method is not allowed here";
            case 413 -> "The request is too large";
            case 414 -> "The request's URI is too long";
            case 431 -> "The request's headers are too large";
            default -> known == null ? "The request failed" : known.getReasonPhrase();
        };
        return Problems.of(known == null ? org.springframework.http.HttpStatusCode.valueOf(status) : known, detail, List.of());
    }

    /** The same problem as JSON text, for writers without an ObjectMapper (Tomcat's error report valve). */
    static String problemJson(int status) {
        ProblemDetail problem = problemFor(status);
        String title = problem.getTitle() == null ? "Error" : problem.getTitle();
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + problem.getDetail() + "\"}";
    }
}
