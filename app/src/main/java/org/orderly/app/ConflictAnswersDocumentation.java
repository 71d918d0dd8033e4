package org.orderly.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The 409 any command may answer when it still loses a conflict with concurrent commands on the same aggregate after
 * its retries ({@code orderly.commands.conflict-retries}, ADR 0012), documented on every operation of the command
 * side's controllers but their reads, and merged into a 409 an operation documents for its own refusals.
 */
@Configuration(proxyBeanMethods = false)
class ConflictAnswersDocumentation {

    static final String DESCRIPTION = "The change lost a conflict with concurrent changes of the same resource (on "
            + "this node or another) even after being decided again on the newer state: nothing was stored; send it "
            + "again after Retry-After seconds.";

    /** Operations of the command side's controllers that send no command (a password lives in the identity store). */
    private static final Set<String> WITHOUT_COMMAND = Set.of("changeCustomerPassword");

    @Bean
    OperationCustomizer commandConflictAnswer() {
        return (operation, handler) -> {
            if (!handler.getBeanType().getPackageName().startsWith("org.orderly.command.")
                    || handler.hasMethodAnnotation(GetMapping.class)
                    || WITHOUT_COMMAND.contains(operation.getOperationId())) {
                return operation;
            }
            ApiResponse response = operation.getResponses().get("409");
            if (response == null) {
                response = new ApiResponse().description(DESCRIPTION);
                operation.getResponses().addApiResponse("409", response);
            } else if (response.getDescription() == null || response.getDescription().isBlank()) {
                response.setDescription(DESCRIPTION);
            } else {
                String own = response.getDescription().strip();
                response.setDescription(own + (own.endsWith(".") ? "" : ".") + " Also: "
                        + Character.toLowerCase(DESCRIPTION.charAt(0)) + DESCRIPTION.substring(1));
            }
            if (response.getContent() == null) {
                response.setContent(new Content());
            }
            MediaType problem = response.getContent().get(OpenApiConfiguration.PROBLEM_JSON);
            if (problem == null) {
                problem = new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem"));
                response.getContent().addMediaType(OpenApiConfiguration.PROBLEM_JSON, problem);
            }
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("type", "about:blank");
            value.put("title", "Conflict");
            value.put("status", 409);
            value.put("detail", "The resource was being changed by other requests at the same time; retry");
            problem.addExamples("concurrentChange", new Example().summary("Lost to concurrent changes, after retries")
                    .value(value));
            response.addHeaderObject("Retry-After", new Header()
                    .description("With a conflict with concurrent changes: seconds after which sending again is "
                            + "likely to succeed")
                    .schema(new Schema<Integer>().type("integer").types(Set.of("integer"))));
            return operation;
        };
    }
}
