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

    @Test
    void cancellingADeadlineThatFiredBetweenLookupAndDeleteDoesNotFailTheSagasCommit() {
        Scheduler scheduler = mock(Scheduler.class);
        doThrow(removed("Expected one execution to be removed, but removed 0. Indicates a bug."))
                .when(scheduler).cancel(any(TaskInstanceId.class));
        RaceTolerantDeadlineManager deadlines = deadlines(scheduler);

        DefaultUnitOfWork<?> sagaBatch = DefaultUnitOfWork.startAndGet(null);
        deadlines.cancelSchedule("fulfilment-timeout", "deadline-1");

        assertThatCode(sagaBatch::commit).doesNotThrowAnyException();
    }

    @Test
    void anyOtherSchedulerFailureStillFailsTheSagasCommit() {
        Scheduler scheduler = mock(Scheduler.class);
        doThrow(removed("Failed to remove execution")).when(scheduler).cancel(any(TaskInstanceId.class));
        RaceTolerantDeadlineManager deadlines = deadlines(scheduler);

        DefaultUnitOfWork<?> sagaBatch = DefaultUnitOfWork.startAndGet(null);
        deadlines.cancelSchedule("fulfilment-timeout", "deadline-1");

        org.assertj.core.api.Assertions.assertThatThrownBy(sagaBatch::commit).satisfies(thrown -> {
            Throwable cause = thrown;
            while (cause != null && !(cause instanceof com.github.kagkarlsson.scheduler.exceptions.ExecutionException)) {
                cause = cause.getCause();
            }
            org.assertj.core.api.Assertions.assertThat(cause).as("the scheduler's failure in the chain").isNotNull();
        });
    }

    private static com.github.kagkarlsson.scheduler.exceptions.ExecutionException removed(String message) {
        return new com.github.kagkarlsson.scheduler.exceptions.ExecutionException(message,
                new com.github.kagkarlsson.scheduler.task.Execution(java.time.Instant.now(),
                        new com.github.kagkarlsson.scheduler.task.TaskInstance<>("AxonDeadline", "deadline-1")));
    }

    private static RaceTolerantDeadlineManager deadlines(Scheduler scheduler) {
        return new RaceTolerantDeadlineManager(DbSchedulerDeadlineManager.builder()
                .scopeAwareProvider(mock(ScopeAwareProvider.class))
                .serializer(JacksonSerializer.defaultSerializer())
                .transactionManager(NoTransactionManager.INSTANCE)
                .startScheduler(false)
                .stopScheduler(false), scheduler);
    }
}
