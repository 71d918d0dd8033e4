package org.orderly.app;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.orderly.api.common.Actor;
import org.orderly.config.security.ApiSecurityAutoConfiguration;
import org.orderly.config.web.ConsistencyHeaders;
import org.orderly.config.web.IdempotencyFilter;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.ReadYourWrites;
import org.orderly.config.web.WebProperties;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The OpenAPI document's server is this one, relative ({@code /}): springdoc would otherwise compute it
 * from each request's Host header and echo whatever a client sends there into a document others read.
 * It declares the bearer-token scheme, and for each operation the requirement the filter chain enforces,
 * read from the same role table ({@link ApiSecurityAutoConfiguration#rolesFor}): no requirement for a public
 * operation, a bearer token with the roles named in its description otherwise.
 * <p>
 * The error answers every operation shares come from the platform, not from the operation, so they are
 * documented here, from the same sources that produce them: 401 and 403 from the role table, 400 from what
 * the operation takes (body, path and query parameters, {@code If-Match}), 413 and 415 for a body, the
 * {@code Idempotency-Key} answers for a POST, 429 and 503 for all. What an operation itself refuses (404, 409,
 * 422, a field-specific 400) is annotated on its controller; the answers here are merged into those.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearerToken";
    static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String POSITION_REF = "#/components/headers/" + ConsistencyHeaders.POSITION;
    private static final String REACHED_REF = "#/components/headers/" + ConsistencyHeaders.REACHED;
    /** The id filled into example paths. */
    private static final String SAMPLE_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

    @Bean
    OpenAPI orderlyOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Orderly").version("v1")
                        .description("""
                                Orders, customers, catalog, inventory, payments, shipments, returns and notifications \
                                of an event-sourced shop. Commands answer once stored (or refused); reads come from \
                                read models that follow them, so a read straight after a change may not show it yet, \
                                unless it sends back the Orderly-Position header the command's answer carried. \
                                Every error is application/problem+json (RFC 9457).""")
                        // No license file grants any rights to this API or its code: the license says so rather
                        // than name one that was never granted.
                        .license(new License().name("No license granted (all rights reserved)")
                                .url("https://choosealicense.com/no-permission/")))
                .servers(List.of(new Server().url("/").description("This server")))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                        .description("An access token of the configured OpenID Connect issuer (or the embedded "
                                + "one: POST /oauth2/token, grant_type=password, client_id=orderly-cli)")));
    }

    @Bean
    OpenApiCustomizer operationSecurity() {
        return api -> api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            Set<Actor.Role> roles = ApiSecurityAutoConfiguration.rolesFor(method.name(), path);
            if (roles == null || !roles.isEmpty()) {
                operation.setSecurity(List.of(new SecurityRequirement().addList(BEARER)));
                String who = roles == null ? "nobody (no rule names it)" : roles.stream()
                        .map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", "));
                String description = operation.getDescription() == null ? "" : operation.getDescription() + "\n\n";
                operation.setDescription(description + "Roles: " + who + ".");
            } else {
                operation.setSecurity(List.of());
            }
        }));
    }

    /**
     * The consistency token: every command answer may carry {@code Orderly-Position} (a reusable header on each
     * 2xx answer of a POST, PUT, PATCH or DELETE under {@code /api}), and every GET that declares the read models it
     * reads ({@link org.orderly.config.web.ReadsFrom}) takes it back and says whether they had passed it.
     */
    @Bean
    OpenApiCustomizer consistencyToken(WebProperties web) {
        return api -> {
            api.getComponents().addHeaders(ConsistencyHeaders.POSITION, new Header()
                    .description("The global position of the last event this request stored, present when it stored "
                            + "any. Send it back as the Orderly-Position header of a GET, on any node, to read this "
                            + "change: the read waits (at most orderly.web.consistency.max-wait, "
                            + web.consistency().maxWait().toMillis() + " ms) until the read models it reads have "
                            + "passed it.")
                    .schema(position()));
            api.getComponents().addHeaders(ConsistencyHeaders.REACHED, new Header()
                    .description("Answers a GET that sent Orderly-Position: true when the read models had passed it, "
                            + "false when the wait ran out (or too many reads were waiting) and the answer may not "
                            + "show that change yet.")
                    .schema(string()));
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                if (path.startsWith("/api/") && method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD
                        && method != PathItem.HttpMethod.OPTIONS && method != PathItem.HttpMethod.TRACE) {
                    operation.getResponses().forEach((status, response) -> {
                        if (status.startsWith("2")) {
                            response.addHeaderObject(ConsistencyHeaders.POSITION, new Header().$ref(POSITION_REF));
                        }
                    });
                }
            }));
        };
    }

    /** A GET answered from read models takes back a command's {@code Orderly-Position}. */
    @Bean
    OperationCustomizer readsFromPosition() {
        return (operation, handler) -> {
            if (handler.hasMethodAnnotation(GetMapping.class) && ReadYourWrites.readsFrom(handler) != null) {
                operation.addParametersItem(new Parameter().in("header").name(ConsistencyHeaders.POSITION)
                        .required(false)
                        .description("An Orderly-Position from a command's answer: the read waits until the read "
                                + "models it reads have passed it, then answers as they stand, with "
                                + ConsistencyHeaders.REACHED + ". Not a whole number: 400.")
                        .schema(position()).example(42));
                if (operation.getResponses() != null) {
                    operation.getResponses().forEach((status, response) -> {
                        if (status.startsWith("2")) {
                            response.addHeaderObject(ConsistencyHeaders.REACHED, new Header().$ref(REACHED_REF));
                        }
                    });
                }
            }
            return operation;
        };
    }

    @Bean
    OpenApiCustomizer sharedProblemAnswers(WebProperties web) {
        return api -> {
            Components components = api.getComponents();
            ModelConverters.getInstance(true).readAll(new AnnotatedType(ProblemJson.class))
                    .forEach((name, schema) -> {
                        if (components.getSchemas() == null || !components.getSchemas().containsKey(name)) {
                            components.addSchemas(name, schema);
                        }
                    });
            api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                    new SharedAnswers(path, method, operation, web.maxBodySize().toBytes()).add()));
        };
    }

    /** The platform's answers for one operation. */
    private record SharedAnswers(String path, PathItem.HttpMethod method, Operation operation, long maxBodyBytes) {

        void add() {
            jsonAnswers();
            exampleDescriptions();
            platformParameters();
            Set<Actor.Role> roles = ApiSecurityAutoConfiguration.rolesFor(method.name(), path);
            boolean post = method == PathItem.HttpMethod.POST && path.startsWith("/api/");
            boolean body = operation.getRequestBody() != null;
            if (post) {
                idempotency();
            }
            badInput(body, post);
            authentication(roles);
            if (roles == null || !roles.isEmpty() && !roles.containsAll(EnumSet.allOf(Actor.Role.class))) {
                answer("403", roles == null ? "No role may call this operation."
                                : "The token's roles do not allow this operation (only " + names(roles) + " may call it).",
                        Map.of("forbidden", example("Forbidden: a role the operation does not admit",
                                problem(403, "Forbidden", "Your roles do not allow this operation", null, List.of()))),
                        Map.of());
            }
            if (body) {
                answer("413", "The body is larger than orderly.web.max-body-size (" + maxBodyBytes + " bytes).",
                        Map.of("tooLarge", example("A body over the limit", problem(413, "Payload Too Large",
                                "The request body is larger than " + maxBodyBytes + " bytes", null,
                                List.of(field("body", "must be at most " + maxBodyBytes + " bytes"))))),
                        Map.of());
                answer("415", "The body is not JSON: Content-Type must be application/json (or application/*+json).",
                        Map.of("notJson", example("Another Content-Type", problem(415, "Unsupported Media Type",
                                "The request body must be application/json", concretePath(null),
                                List.of(field("Content-Type", "must be application/json"))))),
                        Map.of());
            }
            answer("429", "The caller is over its rate limit (orderly.web.rate-limit.*): nothing ran; retry after "
                            + "Retry-After seconds.",
                    Map.of("rateLimited", example("Over the rate limit", problem(429, "Too Many Requests",
                            "Too many requests; retry after 1 s", null, List.of()))),
                    Map.of("Retry-After", retryAfter("Seconds until the caller may send again")));
            answer("503", "The database does not answer (down, restarting or failing over): nothing was stored; "
                            + "retry after Retry-After seconds.",
                    Map.of("databaseUnreachable", example("The database does not answer", problem(503,
                            "Service Unavailable", "The service cannot reach its database; retry later",
                            concretePath(null), List.of()))),
                    Map.of("Retry-After", retryAfter("Seconds after which a retry is likely to find the database back")));
        }

        /**
         * Answers are JSON whatever the client accepts (springdoc writes {@code *}{@code /*} where a mapping
         * declares no {@code produces}).
         */
        private void jsonAnswers() {
            operation.getResponses().values().forEach(response -> {
                Content content = response.getContent();
                if (content != null && content.containsKey("*/*") && !content.containsKey("application/json")) {
                    content.addMediaType("application/json", content.remove("*/*"));
                }
            });
        }

        /** The parameters every operation that has them reads the same way ({@code Pagination}, {@code ETags}). */
        private void platformParameters() {
            if (operation.getParameters() == null) {
                return;
            }
            for (Parameter parameter : operation.getParameters()) {
                if (parameter.getDescription() != null) {
                    continue;
                }
                String name = parameter.getName();
                if ("query".equals(parameter.getIn()) && "limit".equals(name)) {
                    parameter.setDescription("Page size: " + Pagination.DEFAULT_LIMIT + " when absent, at most "
                            + Pagination.MAX_LIMIT + " (a larger one is cut to that); below 1 is a 400");
                } else if ("query".equals(parameter.getIn()) && "cursor".equals(name)) {
                    parameter.setDescription("The previous page's nextCursor; absent for the first page");
                } else if ("header".equals(parameter.getIn()) && "If-Match".equalsIgnoreCase(name)) {
                    parameter.setDescription("The ETag of the version read (\"3\"): the change is refused with 409 if "
                            + "the resource has changed since; without it, the change applies to whatever version is "
                            + "current");
                }
            }
        }

        /**
         * springdoc copies a named example's name into its description when the annotation gives none; the
         * summary is what describes it.
         */
        private void exampleDescriptions() {
            List<Content> contents = new ArrayList<>();
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                contents.add(operation.getRequestBody().getContent());
            }
            operation.getResponses().values().stream().map(ApiResponse::getContent).filter(Objects::nonNull)
                    .forEach(contents::add);
            contents.forEach(content -> content.values().forEach(media -> {
                if (media.getExamples() != null) {
                    media.getExamples().forEach((name, example) -> {
                        if (name.equals(example.getDescription())) {
                            example.setDescription(null);
                        }
                    });
                }
            }));
        }

        /**
         * Any POST may carry an {@code Idempotency-Key} ({@link IdempotencyFilter}): the parameter, the header
         * marking a replayed answer, and the two refusals of a key reused wrongly.
         */
        private void idempotency() {
            boolean declared = operation.getParameters() != null && operation.getParameters().stream()
                    .anyMatch(p -> IdempotencyFilter.HEADER.equalsIgnoreCase(p.getName()));
            if (!declared) {
                operation.addParametersItem(new Parameter().in("header").name(IdempotencyFilter.HEADER).required(false)
                        .description("Makes a retry safe: the first request with a key runs and its answer is kept "
                                + "(orderly.idempotency.retention); a retry with the same key and body gets that answer "
                                + "again, with Idempotent-Replayed: true, and runs nothing. 1 to 200 characters, chosen "
                                + "by the client, scoped to its caller.")
                        .schema(string().minLength(1).maxLength(200))
                        .example("order-2024-05-17-0001"));
            }
            operation.getResponses().forEach((status, response) -> {
                if (status.startsWith("2")) {
                    response.addHeaderObject("Idempotent-Replayed", new Header()
                            .description("true when this is the kept answer of an earlier request with the same "
                                    + "Idempotency-Key, which ran nothing again")
                            .schema(string()));
                }
            });
            String reused = "This " + IdempotencyFilter.HEADER + " was already used for a different request";
            answer("422", "The Idempotency-Key was already used, by this caller, for a different request.",
                    Map.of("idempotencyKeyReused", example("An Idempotency-Key reused for another body",
                            problem(422, "Unprocessable Entity", reused, null,
                                    List.of(field(IdempotencyFilter.HEADER, reused))))),
                    Map.of());
            String running = "A request with this " + IdempotencyFilter.HEADER + " is still being processed";
            answer("409", "A request with the same Idempotency-Key is still running: retry once it has answered.",
                    Map.of("idempotencyKeyRunning", example("A retry while the first request still runs",
                            problem(409, "Conflict", running, null, List.of(field(IdempotencyFilter.HEADER, running))))),
                    Map.of());
        }

        /** 400 for whatever the operation takes, with an example for each kind of input it has. */
        private void badInput(boolean body, boolean post) {
            Map<String, Example> examples = new LinkedHashMap<>();
            if (body) {
                examples.put("malformedBody", example("A body that is not JSON", problem(400, "Bad Request",
                        "The request body is missing or is not valid JSON", concretePath(null),
                        List.of(field("body", "is missing or is not valid JSON")))));
            }
            List<Parameter> parameters = operation.getParameters() == null ? List.of() : operation.getParameters();
            parameters.stream().filter(p -> "path".equals(p.getIn()) && p.getSchema() != null
                            && "uuid".equals(p.getSchema().getFormat())).findFirst()
                    .ifPresent(p -> examples.put("malformedId", example("A path parameter that is no UUID",
                            problem(400, "Bad Request", p.getName() + " must be a valid UUID", concretePath(p.getName()),
                                    List.of(field(p.getName(), "must be a valid UUID"))))));
            if (parameters.stream().anyMatch(p -> "query".equals(p.getIn()) && "limit".equals(p.getName()))) {
                examples.put("limitBelowOne", example("A page size below 1", problem(400, "Bad Request",
                        "limit: must be at least 1", concretePath(null), List.of(field("limit", "must be at least 1")))));
            }
            if (parameters.stream().anyMatch(p -> "query".equals(p.getIn()) && "cursor".equals(p.getName()))) {
                examples.put("foreignCursor", example("A cursor this API did not issue", problem(400, "Bad Request",
                        "cursor: is not a cursor this API issued", concretePath(null),
                        List.of(field("cursor", "is not a cursor this API issued")))));
            }
            if (parameters.stream().anyMatch(p -> "header".equals(p.getIn()) && "If-Match".equalsIgnoreCase(p.getName()))) {
                String reason = "must be an entity tag from a GET, such as \"3\"";
                examples.put("malformedIfMatch", example("An If-Match that is no entity tag", problem(400,
                        "Bad Request", "If-Match: " + reason, concretePath(null), List.of(field("If-Match", reason)))));
            }
            if (parameters.stream().anyMatch(p -> "header".equals(p.getIn())
                    && ConsistencyHeaders.POSITION.equals(p.getName()))) {
                examples.put("malformedPosition", example("An Orderly-Position that is no position", problem(400,
                        "Bad Request", ConsistencyHeaders.POSITION + ": " + ConsistencyHeaders.MALFORMED,
                        concretePath(null), List.of(field(ConsistencyHeaders.POSITION, ConsistencyHeaders.MALFORMED)))));
            }
            if (post) {
                String reason = IdempotencyFilter.HEADER + " must be 1 to 200 characters";
                examples.put("malformedIdempotencyKey", example("An Idempotency-Key over 200 characters",
                        problem(400, "Bad Request", reason, null, List.of(field(IdempotencyFilter.HEADER, reason)))));
            }
            if (examples.isEmpty() && operation.getResponses().get("400") == null) {
                return;
            }
            answer("400", "Bad input, refused before anything ran: errors[] names each field, parameter or header at "
                    + "fault (a body field missing, of the wrong type or invalid, a control character, a parameter "
                    + "that is no UUID or number).", examples, Map.of());
        }

        private void authentication(Set<Actor.Role> roles) {
            Map<String, Example> examples = new LinkedHashMap<>();
            boolean open = roles != null && roles.isEmpty();
            if (!open) {
                examples.put("noToken", example("No Authorization header", problem(401, "Unauthorized",
                        "A bearer token is required", null, List.of())));
            }
            examples.put("invalidToken", example("A malformed, expired or foreign token", problem(401, "Unauthorized",
                    "The bearer token is not valid", null, List.of())));
            answer("401", open
                            ? "A bearer token was sent and is not valid: this operation needs none, but a token that is "
                            + "sent is checked."
                            : "No bearer token, or one that is not valid (malformed, expired, from another issuer, not "
                            + "meant for Orderly).",
                    examples, Map.of("WWW-Authenticate", new Header().schema(string())
                            .description("Bearer, with RFC 6750's error code when a token was sent")));
        }

        /**
         * Adds the answer, or merges it into the one the operation documents itself: its examples and headers
         * join the operation's, its description follows the operation's.
         */
        private void answer(String status, String description, Map<String, Example> examples, Map<String, Header> headers) {
            ApiResponses responses = operation.getResponses();
            ApiResponse response = responses.get(status);
            if (response == null) {
                response = new ApiResponse().description(description);
                responses.addApiResponse(status, response);
            } else if (response.getDescription() == null || response.getDescription().isBlank()) {
                response.setDescription(description);
            } else if (!response.getDescription().contains(description)) {
                String own = response.getDescription().strip();
                response.setDescription(own + (own.endsWith(".") ? "" : ".") + " Also: "
                        + Character.toLowerCase(description.charAt(0)) + description.substring(1));
            }
            if (response.getContent() == null) {
                response.setContent(new Content());
            }
            MediaType problem = response.getContent().get(PROBLEM_JSON);
            if (problem == null) {
                problem = new MediaType();
                response.getContent().addMediaType(PROBLEM_JSON, problem);
            }
            if (problem.getSchema() == null) {
                problem.setSchema(new Schema<>().$ref(PROBLEM_REF));
            }
            for (Map.Entry<String, Example> example : examples.entrySet()) {
                if (problem.getExamples() == null || !problem.getExamples().containsKey(example.getKey())) {
                    problem.addExamples(example.getKey(), example.getValue());
                }
            }
            headers.forEach(response::addHeaderObject);
        }

        /** The operation's path with sample values, {@code bad} (a parameter's name) filled with a malformed one. */
        private String concretePath(String bad) {
            String concrete = path;
            if (operation.getParameters() != null) {
                for (Parameter parameter : operation.getParameters()) {
                    if ("path".equals(parameter.getIn())) {
                        String value = parameter.getName().equals(bad) ? "not-an-id"
                                : parameter.getSchema() != null && "uuid".equals(parameter.getSchema().getFormat())
                                ? SAMPLE_ID : "customers";
                        concrete = concrete.replace("{" + parameter.getName() + "}", value);
                    }
                }
            }
            return concrete;
        }
    }

    private static String names(Set<Actor.Role> roles) {
        return roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().collect(Collectors.joining(", "));
    }

    private static Example example(String summary, Map<String, Object> value) {
        return new Example().summary(summary).value(value);
    }

    /** A problem as the platform writes it: {@code instance} only where a handler answered. */
    private static Map<String, Object> problem(int status, String title, String detail, String instance,
                                               List<Map<String, String>> errors) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            problem.put("errors", errors);
        }
        return problem;
    }

    private static Map<String, String> field(String field, String reason) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("reason", reason);
        return error;
    }

    private static Header retryAfter(String description) {
        return new Header().description(description)
                .schema(new Schema<Integer>().type("integer").types(Set.of("integer")));
    }

    /** A global position in the event store: a whole number, int64. */
    private static Schema<Long> position() {
        return new Schema<Long>().type("integer").types(Set.of("integer")).format("int64").minimum(java.math.BigDecimal.ZERO);
    }

    /** A string schema, its type written for OpenAPI 3.1 ({@code types}) as for 3.0 ({@code type}). */
    private static Schema<String> string() {
        return new Schema<String>().type("string").types(Set.of("string"));
    }
}
