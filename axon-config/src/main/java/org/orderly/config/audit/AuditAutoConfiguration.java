package org.orderly.config.audit;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.orderly.config.OrderlyHealth;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStoreAutoConfiguration;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.orderly.config.domainstore.DomainStores;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The data-access audit log ({@link DataAccessAudit}): the append-only {@code audit} domain store, the writer, the
 * interceptor that records {@link AuditedPersonalData} operations, and {@code GET /api/audit}.
 */
@AutoConfiguration(after = DomainStoreAutoConfiguration.class)
@EnableConfigurationProperties(AuditProperties.class)
public class AuditAutoConfiguration {

    static final String DOMAIN = "audit";

    @Bean
    DomainStoreDefinition auditDomainStore() {
        return DomainStoreDefinition.of(DOMAIN).asAppendOnly(
                "it is the record of who accessed personal data, written as it happens, never derived from events");
    }

    @Bean(destroyMethod = "close")
    DataAccessAudit dataAccessAudit(DomainStores stores, AuditProperties properties) {
        DomainStore store = stores.get(DOMAIN);
        return new DataAccessAudit(store.jdbc(), store.transactions(), properties, Clock.systemUTC());
    }

    @Bean
    AuditedPersonalDataInterceptor auditedPersonalDataInterceptor(DataAccessAudit audit,
                                                                  ObjectProvider<MeterRegistry> meters) {
        return new AuditedPersonalDataInterceptor(audit, meters.getIfAvailable());
    }

    @Bean
    WebMvcConfigurer auditedPersonalData(AuditedPersonalDataInterceptor interceptor) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(interceptor);
            }
        };
    }

    /**
     * Entries older than {@code orderly.retention.audit-entries} go through the store's own function, the only way
     * its role may remove anything (and never an entry of the last day).
     */
    @Bean
    org.orderly.config.retention.RetentionTask auditEntriesRetention(DataAccessAudit audit,
            org.orderly.config.retention.RetentionProperties retention) {
        return org.orderly.config.retention.RetentionTask.of(
                org.orderly.config.retention.RetentionProperties.AUDIT_ENTRIES, retention.auditEntriesPeriod(),
                (cutoff, batchSize) -> audit.removeEntriesBefore(cutoff));
    }

    @Bean
    AuditController auditController(DataAccessAudit audit) {
        return new AuditController(audit);
    }

    /** {@code orderly.audit.pending} and {@code orderly.audit.write.failures} ({@code orderly.audit.record}: the interceptor). */
    @Bean
    MeterBinder auditMetrics(DataAccessAudit audit) {
        return registry -> {
            Gauge.builder("orderly.audit.pending", audit, DataAccessAudit::pending)
                    .description("Audit entries recorded on this node and not yet written").register(registry);
            FunctionCounter.builder("orderly.audit.write.failures", audit, DataAccessAudit::writeFailures)
                    .description("Batches of audit entries the database refused (each is retried)").register(registry);
        };
    }

    /** {@code audit}: DEGRADED while entries cannot be written (they wait in memory and are retried). */
    @Bean
    HealthIndicator auditHealthIndicator(DataAccessAudit audit) {
        return () -> {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pending", audit.pending());
            details.put("writeFailures", audit.writeFailures());
            if (audit.failingSince() != null) {
                details.put("failingSince", audit.failingSince().toString());
            }
            return (audit.failingSince() != null ? Health.status(OrderlyHealth.DEGRADED) : Health.up())
                    .withDetails(details).build();
        };
    }
}
