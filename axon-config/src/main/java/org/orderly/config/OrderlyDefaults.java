package org.orderly.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Orderly's defaults, at the lowest precedence so that any property, environment variable or profile
 * overrides them. Shipped with axon-config so that every deployment (all-in-one, command side alone,
 * query side alone) gets the same ones.
 */
public class OrderlyDefaults implements EnvironmentPostProcessor {

    public static final String AXON_SERVER_PROFILE = "axonserver";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        boolean axonServer = Arrays.asList(environment.getActiveProfiles()).contains(AXON_SERVER_PROFILE);
        Map<String, Object> defaults = new LinkedHashMap<>();
        // Never phone home.
        defaults.put("axon.update-check.disabled", "true");
        // Jackson everywhere; XStream is never used.
        defaults.put("axon.serializer.general", "jackson");
        defaults.put("axon.serializer.events", "jackson");
        defaults.put("axon.serializer.messages", "jackson");
        // Axon Server only under its profile; otherwise the event store and buses are local and in PostgreSQL.
        defaults.put("axon.axonserver.enabled", Boolean.toString(axonServer));
        if (axonServer) {
            defaults.put("axon.axonserver.servers", "${AXONSERVER_SERVERS:localhost:8124}");
        }
        // Gson arrives with the Axon Server connector and the WebSocket container with Tomcat; Orderly speaks JSON
        // through Jackson and has no WebSocket endpoint, so neither is configured at every start.
        defaults.put("spring.autoconfigure.exclude", String.join(",",
                "org.springframework.boot.autoconfigure.gson.GsonAutoConfiguration",
                "org.springframework.boot.autoconfigure.websocket.servlet.WebSocketServletAutoConfiguration"));
        // Each schema has its own Flyway instance; Boot's single Flyway would scan every domain's folder.
        defaults.put("spring.flyway.enabled", "false");
        // Refusals are answered as problem+json; Axon would also log each one with a stack trace.
        defaults.put("logging.level.org.axonframework.modelling.command.AbstractRepository", "ERROR");
        // 2.5 for an integer field (a weight, a quantity) is a 400, not silently 2.
        defaults.put("spring.jackson.deserialization.accept-float-as-int", "false");
        // Behind a TLS-terminating proxy the request is secure, so HSTS is sent and redirects say https. Tomcat's
        // RemoteIpValve takes X-Forwarded-* only from internal proxies (loopback and private addresses).
        defaults.put("server.forward-headers-strategy", "native");
        defaults.put("server.error.include-stacktrace", "never");
        defaults.put("server.error.include-message", "never");
        defaults.put("management.endpoints.web.exposure.include", "health,info,metrics,prometheus");
        defaults.put("management.endpoint.health.show-components", "always");
        // Statuses for anyone (load balancers, orchestrators); details (processors, lag, dead letters) for operators.
        defaults.put("management.endpoint.health.show-details", "when-authorized");
        defaults.put("management.endpoint.health.roles", "OPERATOR");
        // Kubernetes-style probes: liveness is the application's own state; readiness is whether it can serve,
        // which needs its database. Neither includes background work (processors, sagas, notifications).
        defaults.put("management.endpoint.health.probes.enabled", "true");
        defaults.put("management.endpoint.health.group.liveness.include", "livenessState");
        defaults.put("management.endpoint.health.group.readiness.include", "readinessState,db");
        // DEGRADED (a lagging projection, dead letters, stuck sagas, failing notifications) is shown but keeps the
        // node in service: it ranks below DOWN and OUT_OF_SERVICE, above UP, and answers 200. Each domain's own
        // group answers 503 for it (DomainHealthGroup), for a monitor that watches that domain.
        defaults.put("management.endpoint.health.status.order", "DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN");
        // A mapping replaces Boot's defaults as a whole, so DOWN and OUT_OF_SERVICE are restated.
        defaults.put("management.endpoint.health.status.http-mapping.DOWN", "503");
        defaults.put("management.endpoint.health.status.http-mapping.OUT_OF_SERVICE", "503");
        defaults.put("management.endpoint.health.status.http-mapping.DEGRADED", "200");
        // Spring Security wraps each of its filters in an observation: an eighth of a request's CPU in the
        // benchmark profile, for spans nobody reads. Request metrics (http.server.requests) stay.
        defaults.put("management.observations.enable.spring.security", "false");
        // Every observation also starts and stops a long-task timer of its own (http.server.requests.active): about
        // half of what observing a request cost in the benchmark profile, for a gauge of requests in flight that
        // Tomcat's own thread metrics already give. The request timers stay.
        defaults.put("management.observations.long-task-timer.enabled", "false");
        // Axon 4.13's handler time limits take a full stack trace of the calling thread (to name the caller) and
        // schedule a warning task for every unit of work and every handler call: a sixth of the CPU of an order's
        // fulfilment in the benchmark profile. Orderly watches for stuck work where it can act on it: processor
        // lag and health per domain, stuck sagas, and a timeout on every command a saga sends. An Axon workaround
        // (docs/axon-workarounds.md): it can go when the time limits cost nothing measurable.
        defaults.put("axon.timeout.enabled", "false");
        environment.getPropertySources().addLast(new MapPropertySource("orderlyDefaults", defaults));
    }
}
