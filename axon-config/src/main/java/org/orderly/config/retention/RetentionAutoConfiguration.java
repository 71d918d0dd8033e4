package org.orderly.config.retention;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.orderly.config.cluster.ClusterSchedule;
import org.orderly.config.database.OrderlyDatabaseAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

/**
 * Retention: every {@link RetentionTask} bean of any module, run every {@code orderly.retention.interval} by
 * Spring's scheduler, once per cluster ({@link ClusterSchedule}), shown to operators at {@code /api/ops/retention} (role OPERATOR through the
 * {@code /api/ops/**} rule), in the {@code orderly.retention.*} metrics and in health {@code retention}.
 * <p>
 * Each domain declares the tasks of its own data beside its store. The kinds so far: sent notifications
 * (notification), finished workflows (workflows), deactivated customers, erased by command (customer), and the
 * answers to an {@code Idempotency-Key} (declared here, where the filter writing them lives). The data-access
 * audit log declares its task as a bean of its own: {@code RetentionTask.of(RetentionProperties.AUDIT_ENTRIES,
 * retention.auditEntriesPeriod(), (cutoff, batch) -> ...)}, removing through the audit store's own function.
 */
@AutoConfiguration(after = OrderlyDatabaseAutoConfiguration.class)
@EnableConfigurationProperties(RetentionProperties.class)
@EnableScheduling
public class RetentionAutoConfiguration {

    @Bean(destroyMethod = "close")
    Retention retention(ObjectProvider<RetentionTask> tasks, RetentionProperties properties,
                        ObjectProvider<MeterRegistry> meters, ObjectProvider<Clock> clock, ClusterSchedule schedule) {
        return new Retention(tasks.orderedStream().toList(), properties, meters.getIfAvailable(SimpleMeterRegistry::new),
                clock.getIfAvailable(Clock::systemUTC), () -> schedule.takeTurn(Retention.JOB, properties.interval()));
    }

    /** Starts a run at each interval, on the scheduler every other periodic job of Orderly uses. */
    @Bean
    SchedulingConfigurer retentionSchedule(Retention retention, RetentionProperties properties) {
        return registrar -> registrar.addFixedDelayTask(new FixedDelayTask(retention::scheduledRun,
                properties.interval(), properties.initialDelay()));
    }

    /** DEGRADED while the last run of any kind failed; the node still serves. */
    @Bean
    HealthIndicator retentionHealthIndicator(Retention retention) {
        return new RetentionHealth(retention);
    }

    @Bean
    @ConditionalOnWebApplication
    RetentionOpsController retentionOpsController(Retention retention) {
        return new RetentionOpsController(retention);
    }
}
