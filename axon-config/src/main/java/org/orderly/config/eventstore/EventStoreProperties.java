package org.orderly.config.eventstore;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.eventstore.*}: how tracked reads treat an index whose transaction has not committed yet (a gap), and
 * how an index that commits after readers gave up on it is found and delivered ({@code org.orderly.config.eventstore.gaps}).
 *
 * @param gapTimeout              how long a reader keeps waiting for an uncommitted index among recent events before
 *                                passing it for good (Axon's gap timeout). Kept bounded: every kept gap is queried
 *                                again with every read.
 * @param maxGapOffset            how many indexes behind the newest one read a reader still waits for an uncommitted
 *                                index (Axon's maximum gap offset).
 * @param lateCommitCheckInterval how often indexes that readers passed uncommitted are looked for again in the event
 *                                store.
 * @param lateCommitHorizon       how long an index that readers passed uncommitted is looked for: a transaction open
 *                                longer than this (or a rolled-back one, whose index never commits) is no longer
 *                                watched.
 * @param maxWatchedGaps          the most passed-uncommitted indexes watched at once; beyond it the lowest are given up
 *                                (logged).
 */
@ConfigurationProperties("orderly.eventstore")
public record EventStoreProperties(@DefaultValue("60s") Duration gapTimeout,
                                   @DefaultValue("10000") int maxGapOffset,
                                   @DefaultValue("1s") Duration lateCommitCheckInterval,
                                   @DefaultValue("1h") Duration lateCommitHorizon,
                                   @DefaultValue("100000") int maxWatchedGaps) {
}
