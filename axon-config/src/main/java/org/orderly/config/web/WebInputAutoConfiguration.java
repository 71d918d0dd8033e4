package org.orderly.config.web;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;
import org.orderly.config.retention.BatchedDelete;
import org.orderly.config.retention.RetentionProperties;
import org.orderly.config.retention.RetentionTask;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What the HTTP API refuses before any handler runs, and how every refusal looks: problem+json, from the
 * JSON reader, the servlet filters, the error page, Spring Security's firewall and Tomcat itself.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({WebProperties.class, IdempotencyProperties.class})
@Import(ProblemAdvice.class)
public class WebInputAutoConfiguration {

    /** {@code Idempotency-Key} on every POST; answers kept for {@code orderly.idempotency.retention}. */
    @Bean
    IdempotencyFilter idempotencyFilter(JdbcTemplate jdbc, ObjectMapper json, IdempotencyProperties idempotency) {
        return new IdempotencyFilter(jdbc, json, idempotency.retention(), Clock.systemUTC());
    }

    /**
     * The answers kept for an {@code Idempotency-Key}. Each expires at its creation plus
     * {@code orderly.idempotency.retention} as it was when written, which is the replay it promised; a row whose
     * expiry has passed (the cutoff plus the period is now) goes.
     */
    @Bean
    RetentionTask idempotencyAnswersRetention(JdbcTemplate main, IdempotencyProperties idempotency) {
        Duration period = idempotency.retention();
        return RetentionTask.of(RetentionProperties.IDEMPOTENCY_ANSWERS, Optional.of(period),
                (cutoff, batchSize) -> BatchedDelete.run(main, """
                        DELETE FROM idempotency.idempotent_request WHERE ctid = ANY (ARRAY(
                               SELECT ctid FROM idempotency.idempotent_request WHERE expires_at < ? LIMIT ?))
                        """, batchSize, Timestamp.from(cutoff.plus(period))));
    }


    /** Before every other filter but the request metrics, so that nothing reads a body or a header first. */
    static final int INPUT_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    /** After Spring Security's filter chain, which makes the user known, and before any handler. */
    static final int RATE_LIMIT_FILTER_ORDER = SecurityProperties.DEFAULT_FILTER_ORDER + 50;

    /**
     * Request bodies are JSON, read strictly ({@link StrictJson}). Every other body format Jackson could read
     * is dropped (a YAML reader comes with springdoc: a megabyte of YAML costs seconds of CPU), so any other
     * Content-Type is a 415.
     */
    @Bean
    WebMvcConfigurer strictJsonBodies(ObjectMapper json) {
        ObjectMapper strict = StrictJson.forRequests(json);
        return new WebMvcConfigurer() {
            @Override
            public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
                converters.removeIf(c -> c instanceof AbstractJackson2HttpMessageConverter
                        && !(c instanceof MappingJackson2HttpMessageConverter));
                converters.stream().filter(MappingJackson2HttpMessageConverter.class::isInstance)
                        .map(MappingJackson2HttpMessageConverter.class::cast)
                        .forEach(c -> c.setObjectMapper(strict));
            }
        };
    }

    @Bean
    FilterRegistrationBean<RequestInputFilter> requestInputFilter(WebProperties properties, ObjectMapper json) {
        FilterRegistrationBean<RequestInputFilter> registration = new FilterRegistrationBean<>(
                new RequestInputFilter(properties.maxBodySize().toBytes(), json));
        registration.setOrder(INPUT_FILTER_ORDER);
        return registration;
    }

    @Bean
    @ConditionalOnProperty(name = "orderly.web.rate-limit.enabled", havingValue = "true", matchIfMissing = true)
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(WebProperties properties, ObjectMapper json,
                                                            ObjectProvider<MeterRegistry> meters) {
        WebProperties.RateLimit limits = properties.rateLimit();
        RateLimitFilter filter = new RateLimitFilter(
                new RateLimiter(limits.authenticatedPerSecond(), limits.authenticatedBurst(), limits.maxTrackedCallers()),
                new RateLimiter(limits.anonymousPerSecond(), limits.anonymousBurst(), limits.maxTrackedCallers()),
                json, meters.getIfAvailable(SimpleMeterRegistry::new));
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(RATE_LIMIT_FILTER_ORDER);
        return registration;
    }

    /** Replaces Spring Boot's error page (HTML or its own JSON) with problem+json. */
    @Bean
    ProblemErrorController problemErrorController(ObjectMapper json) {
        return new ProblemErrorController(json);
    }

    /** A path Spring Security's firewall refuses ({@code ..;}, encoded slashes, ...): 400 problem+json. */
    @Bean
    RequestRejectedHandler problemRequestRejectedHandler(ObjectMapper json) {
        return (request, response, e) -> {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            json.writeValue(response.getOutputStream(), Problems.of(HttpStatus.BAD_REQUEST,
                    "The request's path or headers are not allowed", List.of()));
        };
    }

    /**
     * Tomcat's own errors (a malformed URI, oversized headers, ...) as problem+json: Tomcat's error report valve
     * replaced by {@link ProblemErrorReportValve}. Its own class, so that nothing of Tomcat is loaded without it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
    static class TomcatErrors {

        /** Runs after Spring Boot's own customizer (order 0), which adds a plain error report valve. */
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.getPipeline().addValve(new ProblemErrorReportValve());
                    // Tells the host not to add a plain one of its own when it starts.
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }
    }
}
