package org.orderly.config.command;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a command that lost a conflict with another command on the same aggregate is sent again
 * ({@link ConflictRetryScheduler}).
 *
 * @param conflictRetries    how many times a command that lost a conflict (another command, on this node or another,
 *                           appended the aggregate's next event first) is sent again, each time decided afresh on the
 *                           newest state, before it is answered as a conflict (409); 0 answers the first conflict
 * @param conflictBackoff    the pause before the first retry; it doubles for each further one, and each pause is
 *                           drawn at random between half and all of it, so that two nodes do not collide again in step
 * @param conflictMaxBackoff the longest pause before one retry
 */
@ConfigurationProperties("orderly.commands")
public record CommandProperties(@DefaultValue("8") int conflictRetries,
                                @DefaultValue("10ms") Duration conflictBackoff,
                                @DefaultValue("200ms") Duration conflictMaxBackoff) {

    public CommandProperties {
        if (conflictRetries < 0) {
            throw new IllegalArgumentException("orderly.commands.conflict-retries must be 0 or more");
        }
        if (conflictBackoff.isNegative() || conflictMaxBackoff.compareTo(conflictBackoff) < 0) {
            throw new IllegalArgumentException(
                    "orderly.commands.conflict-backoff must be 0 or more, and conflict-max-backoff at least as long");
        }
    }
}
