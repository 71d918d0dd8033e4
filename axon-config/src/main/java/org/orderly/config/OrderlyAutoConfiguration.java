package org.orderly.config;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.orderly.config.command.RefusalInterceptor;
import org.orderly.config.database.OrderlyDatabase;
import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.orderly.config.web.IdempotencyFilter;
import org.orderly.config.web.ProblemAdvice;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.axonframework.lifecycle.Phase;

/** Messaging and web conventions shared by both sides. */
@AutoConfiguration(after = org.orderly.config.database.OrderlyDatabaseAutoConfiguration.class)
@Import(ProblemAdvice.class)
@EnableScheduling
public class OrderlyAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OrderlyAutoConfiguration.class);

    @Bean
    ConfigurerModule refusalInterceptorRegistration() {
        return configurer -> configurer.onInitialize(config -> config.onStart(Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS,
                () -> config.commandBus().registerHandlerInterceptor(new RefusalInterceptor())));
    }

    @Bean
    @ConditionalOnWebApplication
    IdempotencyFilter idempotencyFilter(JdbcTemplate jdbc, ObjectMapper json, OrderlyProperties properties) {
        return new IdempotencyFilter(jdbc, json, properties.getIdempotency().getRetention(), Clock.systemUTC());
    }

    @Bean
    @ConditionalOnWebApplication
    ApplicationListener<ApplicationReadyEvent> orderlyReadyLog(OrderlyDatabase database) {
        return event -> {
            int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                    ? web.getWebServer().getPort() : -1;
            long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            log.info("Orderly ready in {} ms: HTTP http://localhost:{}  JDBC {} ({} PostgreSQL)",
                    uptime, port, database.url(), database.isEmbedded() ? "embedded" : "external");
        };
    }
}
