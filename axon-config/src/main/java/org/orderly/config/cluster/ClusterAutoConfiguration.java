package org.orderly.config.cluster;

import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.orderly.config.ProcessorProperties;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStoreAutoConfiguration;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several nodes on one database: the node registry ({@link ClusterNodes}, health {@code cluster}, gauge
 * {@code orderly.cluster.nodes}), each processor's segments shared fairly among the live nodes running it
 * ({@link SegmentBalance}) and periodic work run once per cluster ({@link ClusterSchedule}).
 */
@AutoConfiguration(after = DomainStoreAutoConfiguration.class)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterAutoConfiguration {

    /**
     * Every domain-store processor's segment limit on this node (Axon's {@code MaxSegmentProvider}, which the domain
     * stores' processors take from the context).
     */
    @Bean
    SegmentBalance segmentBalance(DomainStores stores) {
        SegmentBalance balance = new SegmentBalance();
        for (DomainStore store : stores.all()) {
            store.processingGroups().forEach(group -> balance.balance(group, store));
            store.sagaProcessingGroups().forEach(group -> balance.balance(group, store));
        }
        return balance;
    }

    @Bean
    ClusterNodes clusterNodes(JdbcTemplate main, DomainStores stores, ClusterProperties cluster,
                              ProcessorProperties processors, ObjectProvider<EventProcessingConfiguration> processing,
                              SegmentBalance balance) {
        if (cluster.liveness().compareTo(processors.claimTimeout()) >= 0) {
            throw new IllegalStateException("orderly.cluster.liveness (" + cluster.liveness() + ") must be shorter "
                    + "than orderly.processors.claim-timeout (" + processors.claimTimeout()
                    + "): the survivors take a dead node's segments only once it no longer counts as live");
        }
        NodeRole role = cluster.role() != null ? cluster.role() : NodeRole.implied(
                stores.all().stream().anyMatch(s -> !s.processingGroups().isEmpty()),
                stores.all().stream().anyMatch(s -> !s.sagaProcessingGroups().isEmpty()));
        return new ClusterNodes(main, stores.nodeId(), role, cluster, () -> running(processing.getObject()), balance);
    }

    private static List<String> running(EventProcessingConfiguration processing) {
        return processing.eventProcessors().entrySet().stream()
                .filter(e -> e.getValue() instanceof StreamingEventProcessor p && p.isRunning() && !p.isError())
                .map(java.util.Map.Entry::getKey).toList();
    }

    @Bean
    MeterBinder clusterNodesGauge(ClusterNodes nodes) {
        return registry -> Gauge.builder("orderly.cluster.nodes", nodes, ClusterNodes::liveCount)
                .description("Live nodes on this database, as of this node's last heartbeat").register(registry);
    }

    @Bean
    ClusterSchedule clusterSchedule(JdbcTemplate main, DomainStores stores) {
        return new ClusterSchedule(main, stores.nodeId());
    }

    @Bean
    HealthIndicator clusterHealthIndicator(ClusterNodes nodes, SegmentBalance balance, ClusterProperties cluster) {
        return new ClusterHealth(nodes, balance, cluster.liveness());
    }
}
