package org.orderly.app;

import java.util.List;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's server is this one, relative ({@code /}): springdoc would otherwise compute it
 * from each request's Host header and echo whatever a client sends there into a document others read.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI orderlyOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Orderly").version("v1"))
                .servers(List.of(new Server().url("/").description("This server")));
    }
}
