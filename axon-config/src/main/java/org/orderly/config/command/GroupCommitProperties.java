package org.orderly.config.command;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether commands sent at about the same time share one database transaction ({@link GroupCommitCommandBus}).
 *
 * @param enabled  whether commands arriving together are handled as one batch in one transaction, committed (and
 *                 flushed to the write-ahead log) once for all of them; each sender still gets its own answer, only
 *                 after that commit, and a command that fails fails alone; off, every command has a transaction of
 *                 its own (Axon's own command bus)
 * @param maxBatch the most commands one shared transaction holds
 * @param maxWait  how long the first command of a batch waits for others to join it; 0 batches only the commands
 *                 that queued while the previous batch ran
 */
@ConfigurationProperties("orderly.commands.group-commit")
public record GroupCommitProperties(@DefaultValue("true") boolean enabled,
                                    @DefaultValue("32") int maxBatch,
                                    @DefaultValue("0ms") Duration maxWait) {

    public GroupCommitProperties {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("orderly.commands.group-commit.max-batch must be 1 or more");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("orderly.commands.group-commit.max-wait must be 0 or more");
        }
    }
}
