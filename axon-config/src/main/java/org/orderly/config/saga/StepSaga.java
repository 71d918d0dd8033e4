package org.orderly.config.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.orderly.api.workflow.WorkflowId;
import org.orderly.api.workflow.WorkflowRetryRequestedEvent;
import org.orderly.api.workflow.WorkflowStatus;
import org.orderly.api.workflow.WorkflowStep;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.config.command.SagaCommand;
import org.orderly.config.command.WorkflowSteps;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The machinery every saga shares, written once: a saga extends it and reads as its decisions.
 * <p>
 * A saga moves through steps, named by an enum. A step is either <em>awaited</em> or <em>worked</em>:
 * <ul>
 * <li>{@link #await} sends a request (optionally) and waits for the answer under a stage deadline. When
 * the deadline passes, the step is sent again, up to {@link RetryPolicy#stageResends()} times, each under a
 * fresh deadline; only then does the saga hear {@link #timedOut}. Every request is idempotent, so sending it
 * again after a crash that lost it (or its answer) either does the work or reports what was done. A request
 * that fails to go out is retried with backoff alongside the deadline.</li>
 * <li>{@link #work} and {@link #compensate} work through a list of steps in order, each retried with exponential backoff
 * when it fails; after {@link RetryPolicy#maxAttempts()} tries the saga {@link #park parks} for an operator
 * (a failure is no answer: what failed may succeed later, and nothing is undone for it). A refusal no retry
 * can change is the other domain's answer: the saga hears {@link #gaveUp} and decides, typically to
 * compensate. An operator's {@link WorkflowRetryRequestedEvent} resumes a parked saga where it stopped.</li>
 * </ul>
 * Every change of the visible steps is published by {@link #publish()} as a {@link WorkflowUpdatedEvent}
 * for the workflows read model, with a revision that only grows.
 * <p>
 * Deadlines go through Axon's {@link DeadlineManager}; in Orderly it stores them in the saga's own
 * transaction, so a deadline exists exactly when the state that set it committed. Each deadline carries
 * a random token the saga keeps while it waits for it: a deadline whose token the saga no longer holds
 * is stale and ignored. The state is serialized with Jackson, field by field, into the saga store.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public abstract class StepSaga<S extends Enum<S> & SagaStep> {

    /** The deadline of an awaited step. */
    public static final String STAGE_TIMEOUT = "saga-stage-timeout";
    /** The wait before a failed step is tried again. */
    public static final String STEP_RETRY = "saga-step-retry";

    private static final String RUNNING = "RUNNING";
    private static final String COMPLETED = "COMPLETED";
    private static final String FAILED = "FAILED";

    @JsonIgnore
    @Autowired
    private transient CommandGateway commands;
    @JsonIgnore
    @Autowired
    private transient EventGateway events;
    @JsonIgnore
    @Autowired
    private transient DeadlineManager deadlines;
    @JsonIgnore
    private transient boolean changed;

    private WorkflowId workflowId;
    private String type;
    private String businessId;
    /** The awaited step, by enum name; kept while parked on it, so that a retry waits for it again. */
    private String waiting;
    private Duration waitTimeout;
    private boolean resendOnTimeout;
    private int resends;
    /** The worked steps left, first one next, by enum name. */
    private List<String> todo = new ArrayList<>();
    private int attempts;
    private boolean compensating;
    private boolean parked;
    private boolean ended;
    private Deadline stageDeadline;
    private Deadline retryDeadline;
    private long revision;
    private List<WorkflowStep> steps = new ArrayList<>();

    /** A deadline the saga set and still waits for. */
    public record Deadline(String name, String id, String token, Instant at) {
    }

    /** The enum of this saga's steps. */
    protected abstract Class<S> stepType();

    protected abstract RetryPolicy policy();

    /**
     * Tries {@code step} once. A worked step answers DONE, RETRY or FAIL; an awaited step SENT (or RETRY, FAIL
     * when its request could not go out), and may take in an answer its command returned straight away.
     */
    protected abstract StepResult perform(S step);

    /** Every step of the current {@link #work} or {@link #compensate} list is done; {@code last} is the last one. */
    protected abstract void stepsDone(S last);

    /**
     * {@code step} was refused in a way no retry can change (already shown FAILED). A step that merely kept
     * failing never comes here: the saga parks on it, since what failed may well succeed later.
     */
    protected abstract void gaveUp(S step, String error);

    /** The deadline of awaited {@code step} passed, and so did all its re-sends. */
    protected abstract void timedOut(S step);

    /** Names the saga's workflow, once, when the saga starts: an operator's retry finds the saga by its id. */
    protected void begin(String workflowType, WorkflowId id, String business) {
        this.type = workflowType;
        this.workflowId = id;
        this.businessId = business;
        SagaLifecycle.associateWith("workflowId", id.toString());
    }

    /**
     * Waits for {@code step}'s answer under a deadline of {@code timeout}; with {@code resend}, sends the step's
     * request now and again each time the deadline passes unanswered, {@link RetryPolicy#stageResends()} times.
     */
    protected void await(S step, Duration timeout, boolean resend) {
        clearDeadlines();
        todo.clear();
        compensating = false;
        parked = false;
        waiting = step.name();
        waitTimeout = timeout;
        resendOnTimeout = resend;
        resends = 0;
        attempts = 0;
        startStep(step);
        stageDeadline = schedule(STAGE_TIMEOUT, step, timeout);
        if (resend) {
            sendAwaited(step);
        }
    }

    /** Whether the saga waits for {@code step} (also while parked on it). */
    protected boolean awaiting(S step) {
        return !ended && step.name().equals(waiting);
    }

    /** The awaited or worked {@code step} succeeded: it shows COMPLETED, and a wait for it ends. */
    protected void passed(S step) {
        endStep(step, COMPLETED, null);
        if (step.name().equals(waiting)) {
            waiting = null;
            clearDeadlines();
        }
    }

    /** {@code step} shows FAILED with {@code error}; what follows is the saga's decision. */
    protected void failed(S step, String error) {
        endStep(step, FAILED, error);
    }

    /** Every step still running shows FAILED with {@code error}: the saga is leaving them. */
    protected void failRunningSteps(String error) {
        for (WorkflowStep step : List.copyOf(steps)) {
            if (RUNNING.equals(step.status())) {
                WorkflowSteps.end(steps, step.name(), FAILED, error, now());
                changed = true;
            }
        }
    }

    /** Runs {@code actions} in order, each retried on failure; then {@link #stepsDone}. */
    @SafeVarargs
    protected final void work(S... actions) {
        startList(false, List.of(actions));
    }

    /** Like {@link #work}, undoing: a parked compensation shows COMPENSATION_FAILED, its end COMPENSATED. */
    protected void compensate(List<S> actions) {
        startList(true, actions);
    }

    protected boolean isCompensating() {
        return compensating;
    }

    protected boolean hasEnded() {
        return ended;
    }

    /** Stops until an operator retries: the step that failed (or the awaited one) is taken up again then. */
    protected void park() {
        clearDeadlines();
        parked = true;
        changed = true;
    }

    protected void end() {
        clearDeadlines();
        waiting = null;
        todo.clear();
        parked = false;
        ended = true;
        changed = true;
        SagaLifecycle.end();
    }

    /** Sends {@code command} and waits for it; see {@link SagaCommand}. */
    protected SagaCommand.Result send(Object command) {
        return SagaCommand.send(commands, command);
    }

    /** Publishes the workflow's state, when anything visible changed since the last publication. */
    protected void publish() {
        if (!changed) {
            return;
        }
        changed = false;
        revision++;
        events.publish(new WorkflowUpdatedEvent(workflowId, type, businessId, status(), currentStep(),
                stageDeadline != null ? stageDeadline.at() : retryDeadline != null ? retryDeadline.at() : null,
                revision, List.copyOf(steps)));
    }

    @SagaEventHandler(associationProperty = "workflowId")
    void on(WorkflowRetryRequestedEvent event) {
        if (!parked || ended) {
            return;
        }
        parked = false;
        attempts = 0;
        changed = true;
        if (!todo.isEmpty()) {
            runTodo();
        } else if (waiting != null) {
            // Only the wait failed: wait again, under a fresh deadline.
            await(step(waiting), waitTimeout, resendOnTimeout);
        }
        publish();
    }

    @DeadlineHandler(deadlineName = STAGE_TIMEOUT)
    void onStageTimeout(StepDeadline timeout) {
        if (stageDeadline == null || !stageDeadline.token().equals(timeout.token()) || waiting == null) {
            return;
        }
        stageDeadline = null; // spent: it must not be cancelled while it fires
        S step = step(waiting);
        if (resendOnTimeout && resends < policy().stageResends()) {
            resends++;
            attempts = 0;
            cancel(retryDeadline);
            retryDeadline = null;
            recordError(step, "no answer within " + waitTimeout + "; asked again (" + resends + " of "
                    + policy().stageResends() + ")");
            stageDeadline = schedule(STAGE_TIMEOUT, step, waitTimeout);
            sendAwaited(step);
        } else {
            changed = true;
            timedOut(step);
        }
        publish();
    }

    @DeadlineHandler(deadlineName = STEP_RETRY)
    void onRetry(StepDeadline retry) {
        if (retryDeadline == null || !retryDeadline.token().equals(retry.token())) {
            return;
        }
        retryDeadline = null;
        changed = true;
        if (waiting != null && todo.isEmpty()) {
            sendAwaited(step(waiting));
        } else {
            runTodo();
        }
        publish();
    }

    private void sendAwaited(S step) {
        StepResult result = perform(step);
        if (!awaiting(step) || parked) {
            return; // the answer came with the command, and the saga has moved on
        }
        switch (result.kind()) {
            case DONE, SENT -> attempts = 0;
            case FAIL -> {
                failed(step, result.error());
                gaveUp(step, result.error());
            }
            case RETRY -> {
                attempts++;
                recordError(step, result.error() + " (attempt " + attempts + " of " + policy().maxAttempts() + ")");
                // Past the last attempt the stage deadline, which sends again, is the last word.
                if (attempts < policy().maxAttempts()) {
                    cancel(retryDeadline);
                    retryDeadline = schedule(STEP_RETRY, step, policy().backoff(attempts));
                }
            }
        }
    }

    private void startList(boolean undoing, List<S> actions) {
        clearDeadlines();
        waiting = null;
        parked = false;
        compensating = undoing;
        attempts = 0;
        todo = new ArrayList<>(actions.stream().map(Enum::name).toList());
        changed = true;
        runTodo();
    }

    private void runTodo() {
        S last = null;
        while (!todo.isEmpty()) {
            S step = step(todo.get(0));
            startStep(step);
            StepResult result = perform(step);
            switch (result.kind()) {
                case DONE, SENT -> {
                    endStep(step, COMPLETED, null);
                    todo.remove(0);
                    attempts = 0;
                    last = step;
                }
                case FAIL -> {
                    failed(step, result.error());
                    gaveUp(step, result.error());
                    return;
                }
                case RETRY -> {
                    attempts++;
                    recordError(step, result.error() + " (attempt " + attempts + " of " + policy().maxAttempts() + ")");
                    if (attempts >= policy().maxAttempts()) {
                        failed(step, result.error());
                        park();
                    } else {
                        cancel(retryDeadline);
                        retryDeadline = schedule(STEP_RETRY, step, policy().backoff(attempts));
                    }
                    return;
                }
            }
        }
        stepsDone(last);
    }

    private S step(String name) {
        return Enum.valueOf(stepType(), name);
    }

    private Deadline schedule(String name, S step, Duration after) {
        String token = UUID.randomUUID().toString();
        String id = deadlines.schedule(after, name, new StepDeadline(step.name(), token));
        changed = true;
        return new Deadline(name, id, token, now().plus(after));
    }

    private void cancel(Deadline deadline) {
        if (deadline != null) {
            deadlines.cancelSchedule(deadline.name(), deadline.id());
        }
    }

    private void clearDeadlines() {
        if (stageDeadline != null || retryDeadline != null) {
            changed = true;
        }
        cancel(stageDeadline);
        cancel(retryDeadline);
        stageDeadline = null;
        retryDeadline = null;
    }

    private void startStep(S step) {
        WorkflowSteps.start(steps, step.stepName(), now());
        changed = true;
    }

    private void endStep(S step, String status, String error) {
        WorkflowSteps.end(steps, step.stepName(), status, error, now());
        changed = true;
    }

    private void recordError(S step, String error) {
        WorkflowSteps.recordError(steps, step.stepName(), error);
        changed = true;
    }

    private WorkflowStatus status() {
        if (ended) {
            return compensating ? WorkflowStatus.COMPENSATED : WorkflowStatus.COMPLETED;
        }
        if (parked) {
            return compensating ? WorkflowStatus.COMPENSATION_FAILED : WorkflowStatus.FAILED;
        }
        return compensating ? WorkflowStatus.COMPENSATING : WorkflowStatus.RUNNING;
    }

    /** The last step not completed, else the last step. */
    private String currentStep() {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (!COMPLETED.equals(steps.get(i).status())) {
                return steps.get(i).name();
            }
        }
        return steps.isEmpty() ? null : steps.get(steps.size() - 1).name();
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant();
    }
}
