/**
 * Events whose transaction commits after every reader has passed their global index: found, reported and delivered.
 * <p>
 * <b>Upstream behaviour worked around.</b> The JDBC event store numbers events from a sequence when they are
 * inserted, so an index can become visible long after higher ones. Axon's {@code JdbcEventStorageEngine} keeps such an
 * uncommitted index as a gap in each reader's {@code GapAwareTrackingToken} and queries for it again with every read,
 * but only within two bounds: a gap further behind the newest index read than the maximum gap offset is truncated
 * ({@code GapAwareTrackingToken.advanceTo}), and one among events older than the gap timeout is dropped
 * ({@code cleanGaps}, and no gaps at all are kept when the event read is older than the timeout). A dropped index is
 * never read again: an event committed after that (a registration held open 25 s while 20,000 others committed) was
 * in the store but never projected. The bounds stay (each kept gap costs memory and is part of every read's query);
 * instead:
 * <ol>
 *   <li>{@link org.orderly.config.eventstore.gaps.GapWatchingStorageEngine} sits under every tracked read (the shared
 *   producer's and each processor's own) and records every index a read's token gives up without having read it
 *   ({@link org.orderly.config.eventstore.gaps.PassedGaps});</li>
 *   <li>{@link org.orderly.config.eventstore.gaps.LateCommitAuditor} looks for those indexes in the event store every
 *   {@code orderly.eventstore.late-commit-check-interval}; one that has appeared is a late commit: it logs a warning
 *   naming the index, counts {@code orderly.eventstore.late.commits}, shows it in the {@code lateCommits} health
 *   component, and hands the event to each processor of this node once that processor's tokens have passed the index
 *   (a processor still waiting for it reads it itself), in a unit of work with the processor's transaction manager.
 *   A processor that handled the event all the same (its own read still waited for the index) is skipped: every
 *   processor's handler interceptor {@link org.orderly.config.eventstore.gaps.HandledLateEvents} records which watched
 *   indexes it handled, which matters for sagas, whose start handler would run again. Where that record can miss
 *   (the event of a gap read in the same step as other gaps were dropped, or a read racing the recording of a drop),
 *   a projection guards every write by the aggregate's sequence number, so a second delivery changes nothing.</li>
 * </ol>
 * An index is watched for {@code orderly.eventstore.late-commit-horizon} (a rolled-back transaction's index never
 * commits) and at most {@code orderly.eventstore.max-watched-gaps} at once. Delivery is per node: a processor is
 * served on a node that works on some of its segments, once all of them have passed the index.
 * <p>
 * Upstream: AxonFramework issue 4829 (closed as won't fix) and 1241; listed with Orderly's other Axon workarounds in
 * {@code docs/axon-workarounds.md}.
 * <p>
 * <b>When it could go.</b> When the event store no longer assigns indexes before commit (Axon Server, or Axon 5's
 * storage engines if they order by commit), or Axon reports dropped gaps itself; under the {@code axonserver} profile
 * none of this runs.
 */
package org.orderly.config.eventstore.gaps;
