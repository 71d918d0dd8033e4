package org.orderly.config.ops;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.config.EventProcessingConfiguration;
import org.orderly.config.ProcessorProperties;
import org.orderly.config.cluster.ClusterAutoConfiguration;
import org.orderly.config.cluster.ClusterNode;
import org.orderly.config.cluster.ClusterNodes;
import org.orderly.config.database.MainSchema;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.ProcessingAutoConfiguration;
import org.orderly.config.processing.ProcessorLag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Operator tools: processor status, replays, zero-downtime rebuilds, dead letters, per-domain health groups, metrics and the
 * dashboard at {@code /ops}, all for role OPERATOR ({@link org.orderly.config.security.ApiSecurityAutoConfiguration}). What operators do
 * is recorded in the main database's {@code ops} schema.
 */
@AutoConfiguration(after = {ProcessingAutoConfiguration.class, ClusterAutoConfiguration.class})
@EnableConfigurationProperties(OpsProperties.class)
public class OpsAutoConfiguration {

    @Bean
    MainSchema opsSchema() {
        return new MainSchema("ops");
    }

    @Bean
    DeadLetters deadLetters(ObjectProvider<EventProcessingConfiguration> processing, DomainStores stores,
                            JdbcTemplate jdbc, org.orderly.config.privacy.DeadLetterCauses causes) {
        return new DeadLetters(processing::getObject, stores, jdbc, Clock.systemUTC(), causes);
    }

    @Bean
    ProcessorHolds processorHolds(ObjectProvider<EventProcessingConfiguration> processing, DomainStores stores,
                                  JdbcTemplate jdbc, OpsProperties properties) {
        return new ProcessorHolds(processing::getObject, stores, jdbc, properties, Clock.systemUTC());
    }

    @Bean
    Replays replays(ObjectProvider<EventProcessingConfiguration> processing, DomainStores stores, ProcessorLag lag,
                    JdbcTemplate jdbc, ProcessorHolds holds) {
        return new Replays(processing::getObject, stores, lag, jdbc, holds, Clock.systemUTC());
    }

    @Bean
    org.springframework.scheduling.annotation.SchedulingConfigurer replayWatchSchedule(Replays replays,
                                                                                       OpsProperties ops) {
        return registrar -> registrar.addFixedDelayTask(new org.springframework.scheduling.config.FixedDelayTask(
                replays::watch, ops.replayWatchInterval(), java.time.Duration.ZERO));
    }

    @Bean
    Rebuilds rebuilds(ObjectProvider<EventProcessingConfiguration> processing,
                      ObjectProvider<org.axonframework.config.Configuration> axon, DomainStores stores,
                      ProcessorLag lag, Replays replays, JdbcTemplate jdbc, ProcessorHolds holds,
                      ProcessorProperties properties) {
        return new Rebuilds(processing::getObject, axon::getObject, stores, lag, replays, jdbc, holds, properties,
                Clock.systemUTC());
    }

    @Bean
    ClusterSamples clusterSamples(DomainStores stores, ProcessorLag lag, OpsProperties properties) {
        return new ClusterSamples(stores, lag, properties, Clock.systemUTC());
    }

    /**
     * The cluster view lists every live node, idle ones too, from the node registry's heartbeats; without a registry
     * the live nodes are this one only.
     */
    @Bean
    ClusterView clusterView(DomainStores stores, ObjectProvider<ClusterNodes> registry, ProcessorHolds holds,
                            ClusterSamples samples) {
        ClusterNodes nodes = registry.getIfAvailable();
        LiveNodes live = nodes == null ? () -> List.of(stores.nodeId())
                : () -> nodes.live().stream().map(ClusterNode::nodeId).toList();
        return new ClusterView(stores, live, holds, samples, Clock.systemUTC());
    }

    @Bean
    @ConditionalOnWebApplication
    ClusterOpsController clusterOpsController(ClusterView cluster) {
        return new ClusterOpsController(cluster);
    }

    @Bean
    ProcessorCatalog processorCatalog(ObjectProvider<EventProcessingConfiguration> processing, DomainStores stores,
                                      ProcessorLag lag, DeadLetters deadLetters, Replays replays) {
        return new ProcessorCatalog(processing::getObject, stores, lag, deadLetters, replays);
    }

    @Bean
    Sagas sagas(ProcessorCatalog processors,
                org.springframework.beans.factory.ObjectProvider<org.axonframework.queryhandling.QueryGateway> queries) {
        return new Sagas(processors, queries::getObject);
    }

    @Bean
    @ConditionalOnWebApplication
    ProcessorOpsController processorOpsController(ProcessorCatalog processors, Replays replays, Sagas sagas,
                                                  Rebuilds rebuilds) {
        return new ProcessorOpsController(processors, replays, sagas, rebuilds);
    }

    @Bean
    @ConditionalOnWebApplication
    DeadLetterOpsController deadLetterOpsController(DeadLetters deadLetters) {
        return new DeadLetterOpsController(deadLetters);
    }

    /** The dashboard is a static page; {@code /ops} is its address. */
    @Bean
    @ConditionalOnWebApplication
    WebMvcConfigurer opsDashboard() {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addViewController("/ops").setViewName("forward:/ops/index.html");
                registry.addViewController("/ops/").setViewName("forward:/ops/index.html");
            }
        };
    }

    /**
     * {@code orderly.replay.progress} and {@code orderly.replay.running} and {@code orderly.dead.letters} per
     * processor, {@code orderly.rebuild.progress} per domain, {@code orderly.sagas.failing.processors}, and
     * {@code orderly.domain.rows} per read-model table (PostgreSQL's
     * live-row estimate, cheap enough for every scrape). The two background loops of operations report how long
     * ago they last ran, so that one that stopped shows: {@code orderly.ops.samples.age} (the dashboard's sampler)
     * and {@code orderly.ops.holds.watch.age} (the watcher that stops and restarts processors for other nodes'
     * holds); each a few seconds at most while it works.
     */
    @Bean
    MeterBinder opsMetrics(DomainStores stores, Replays replays, Rebuilds rebuilds, DeadLetters deadLetters,
                           Sagas sagas, ClusterSamples samples, ProcessorHolds holds) {
        return registry -> {
            Gauge.builder("orderly.ops.samples.age", samples::lastSampleAgeSeconds)
                    .description("Seconds since the dashboard's sampler last sampled the cluster; NaN before its first")
                    .baseUnit("seconds").register(registry);
            Gauge.builder("orderly.ops.holds.watch.age", () -> holds.lastWatch() == null ? Double.NaN
                            : java.time.Duration.between(holds.lastWatch(), java.time.Instant.now()).toMillis() / 1000.0)
                    .description("Seconds since this node last looked at the processor holds of other nodes; NaN before")
                    .baseUnit("seconds").register(registry);
            for (DomainStore store : stores.all()) {
                Gauge.builder("orderly.rebuild.progress", () -> rebuilds.running(store.name())
                                .map(OpsViews.Rebuild::percent).orElse(100.0))
                        .description("Percent of the domain's running rebuild done; 100 when none runs")
                        .baseUnit("percent").tag("domain", store.name()).register(registry);
                for (String group : store.processingGroups()) {
                    Gauge.builder("orderly.replay.progress", () -> replays.running(group)
                                    .map(OpsViews.Replay::percent).orElse(100.0))
                            .description("Percent of the running replay done; 100 when none runs")
                            .baseUnit("percent").tag("processor", group).tag("domain", store.name())
                            .register(registry);
                    Gauge.builder("orderly.replay.running", () -> replays.running(group).isPresent() ? 1 : 0)
                            .description("Whether a replay of the processor is running")
                            .tag("processor", group).tag("domain", store.name()).register(registry);
                    Gauge.builder("orderly.dead.letters", () -> deadLetters.count(group))
                            .description("Dead letters parked in the processor's queue")
                            .tag("processor", group).tag("domain", store.name()).register(registry);
                }
                for (String table : readModelTables(store)) {
                    Gauge.builder("orderly.domain.rows", () -> rowEstimate(store, table))
                            .description("Rows in a read-model table (PostgreSQL's live-row estimate)")
                            .tag("domain", store.name()).tag("table", table).register(registry);
                }
            }
            Gauge.builder("orderly.sagas.failing.processors", () -> sagas.failingProcessors().size())
                    .description("Saga processors in an error state (sagas past their deadline: orderly.workflows.stuck)")
                    .register(registry);
        };
    }

    private static List<String> readModelTables(DomainStore store) {
        return store.jdbc().queryForList("""
                SELECT table_name FROM information_schema.tables
                 WHERE table_schema = ? AND table_type = 'BASE TABLE'
                   AND table_name NOT IN ('token_entry', 'dead_letter_entry', 'flyway_schema_history')
                 ORDER BY table_name
                """, String.class, store.schema());
    }

    private static double rowEstimate(DomainStore store, String table) {
        List<Long> rows = store.jdbc().queryForList(
                "SELECT n_live_tup FROM pg_stat_user_tables WHERE schemaname = ? AND relname = ?",
                Long.class, store.schema(), table);
        return rows.isEmpty() ? Double.NaN : rows.get(0);
    }

    /**
     * One health group per domain, {@code /actuator/health/<domain>}: the domain's entry of the {@code domains}
     * contributor, plus any contributor named after the domain (such as {@code notifications}). Built from
     * the declared domain stores, so a new domain gets its group without configuration.
     */
    @Bean
    HealthEndpointGroupsPostProcessor domainHealthGroups(DomainStores stores) {
        return groups -> {
            Map<String, HealthEndpointGroup> all = new LinkedHashMap<>();
            groups.getNames().forEach(name -> all.put(name, groups.get(name)));
            for (DomainStore store : stores.all()) {
                all.putIfAbsent(store.name(), new DomainHealthGroup(store.name(), groups.getPrimary()));
            }
            return HealthEndpointGroups.of(groups.getPrimary(), all);
        };
    }
}
