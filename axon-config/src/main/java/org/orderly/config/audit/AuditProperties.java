package org.orderly.config.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.audit.*}: how data-access audit entries are written ({@link DataAccessAudit}).
 *
 * @param queueCapacity entries a node holds before writing them; when full, a request writes its own entries at
 *                      once instead of queuing them, so nothing is dropped
 * @param batchSize     at most this many entries are written in one commit
 */
@ConfigurationProperties("orderly.audit")
public record AuditProperties(@DefaultValue("10000") int queueCapacity, @DefaultValue("500") int batchSize) {

    public AuditProperties {
        if (queueCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("orderly.audit.queue-capacity and batch-size must be at least 1");
        }
    }
}
