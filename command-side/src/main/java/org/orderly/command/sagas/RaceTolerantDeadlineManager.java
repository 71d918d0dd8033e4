package org.orderly.command.sagas;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Axon's db-scheduler deadline manager, except that cancelling a deadline which is firing at that moment is
 * not an error. Axon's cancels at the saga's commit and lets db-scheduler's "currently executing" refusal
 * fail the commit, so the saga processor aborted the whole batch and handled it again, for as long as the
 * deadline's own execution waited for the saga (found in the benchmark: one segment aborting every few
 * seconds for a quarter of an hour). Both saga types already ignore a deadline that fires for a stage
 * they have left, so the firing deadline is simply left to run and be ignored. A deadline that disappears between
 * db-scheduler's lookup and its delete (it fired meanwhile) is gone as well.
 */
class RaceTolerantDeadlineManager extends DbSchedulerDeadlineManager {

    private static final Logger log = LoggerFactory.getLogger(RaceTolerantDeadlineManager.class);

    private final Scheduler scheduler;

    RaceTolerantDeadlineManager(Builder builder, Scheduler scheduler) {
        super(builder.scheduler(scheduler));
        this.scheduler = scheduler;
    }

    @Override
    public void cancelSchedule(String deadlineName, String scheduleId) {
        runOnPrepareCommitOrNow(() -> {
            try {
                scheduler.cancel(new DbSchedulerDeadlineToken(scheduleId));
            } catch (TaskInstanceNotFoundException alreadyGone) {
                log.debug("Deadline {} ({}) was already gone", deadlineName, scheduleId);
            } catch (TaskInstanceCurrentlyExecutingException firing) {
                log.debug("Deadline {} ({}) is firing; its handler ignores it", deadlineName, scheduleId);
            } catch (com.github.kagkarlsson.scheduler.exceptions.ExecutionException gone) {
                // db-scheduler found the row when it looked and none when it deleted it: the deadline fired (or
                // was cancelled) in between. Seen in session 4's full benchmark: saga batches aborted every minute.
                if (!String.valueOf(gone.getMessage()).contains("removed 0")) {
                    throw gone;
                }
                log.debug("Deadline {} ({}) went while it was being cancelled", deadlineName, scheduleId);
            }
        });
    }
}
