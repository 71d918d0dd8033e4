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
 * fail the commit: the saga processor would abort the whole batch and handle it again, over and over for as
 * long as the deadline's own execution waits for that saga, and the segment makes no progress meanwhile.
 * Both saga types already ignore a deadline that fires for a stage
 * they have left, so the firing deadline is simply left to run and be ignored. A deadline that disappears between
 * db-scheduler's lookup and its delete (it fired meanwhile) is gone as well.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). AxonFramework issue 3857 (a
 * missing task, fixed in pull request 4017); this can go when Axon's {@code
 * DbSchedulerDeadlineManager#cancelSchedule} also tolerates an execution running at that moment.
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
                // db-scheduler found the row when it looked and none when it deleted it ("removed 0"): the
                // deadline fired (or was cancelled) in between. The deadline is gone, which is what cancelling
                // wants; failing here would abort the saga's whole batch for nothing.
                if (!String.valueOf(gone.getMessage()).contains("removed 0")) {
                    throw gone;
                }
                log.debug("Deadline {} ({}) went while it was being cancelled", deadlineName, scheduleId);
            }
        });
    }
}
