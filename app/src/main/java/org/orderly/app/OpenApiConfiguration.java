package org.orderly.app;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.orderly.api.common.Actor;
import org.orderly.config.security.ApiSecurityAutoConfiguration;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's server is this one, relative ({@code /}): springdoc would otherwise compute it
 * from each request's Host header and echo whatever a client sends there into a document others read.
 * It declares the bearer-token scheme, and for each operation the requirement the filter chain enforces,
 * read from the same role table ({@link ApiSecurityAutoConfiguration#rolesFor}): no requirement for a public
 * operation, a bearer token with the roles named in its description otherwise.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearerToken";

    @Bean
    OpenAPI orderlyOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Orderly").version("v1"))
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
}
