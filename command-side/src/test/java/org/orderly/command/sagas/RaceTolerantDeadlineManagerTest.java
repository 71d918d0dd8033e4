package org.orderly.command.sagas;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.messaging.ScopeAwareProvider;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

/** Only the scheduler is stood in for: what is tested is how a refusal of db-scheduler's is taken. */
class RaceTolerantDeadlineManagerTest {

    @Test
    void cancellingADeadlineThatIsFiringDoesNotFailTheSagasCommit() {
        Scheduler scheduler = mock(Scheduler.class);
        doThrow(new TaskInstanceCurrentlyExecutingException("AxonDeadline", "deadline-1"))
                .when(scheduler).cancel(any(TaskInstanceId.class));
        RaceTolerantDeadlineManager deadlines = new RaceTolerantDeadlineManager(DbSchedulerDeadlineManager.builder()
                .scopeAwareProvider(mock(ScopeAwareProvider.class))
                .serializer(JacksonSerializer.defaultSerializer())
                .transactionManager(NoTransactionManager.INSTANCE)
                .startScheduler(false)
                .stopScheduler(false), scheduler);

        DefaultUnitOfWork<?> sagaBatch = DefaultUnitOfWork.startAndGet(null);
        deadlines.cancelSchedule("fulfilment-timeout", "deadline-1");

        assertThatCode(sagaBatch::commit).doesNotThrowAnyException();
        verify(scheduler).cancel(any(TaskInstanceId.class));
    }
}
