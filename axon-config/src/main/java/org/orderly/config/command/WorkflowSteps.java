package org.orderly.config.command;

import java.time.Instant;
import java.util.List;

import org.orderly.api.workflow.WorkflowStep;

/**
 * How every saga keeps its visible steps: one entry per step name, started, ended, or marked with an
 * error, in the saga's own (serialized) list. Shared by every saga, since domain packages share no code.
 */
public final class WorkflowSteps {

    private WorkflowSteps() {
    }

    /** Marks {@code name} running (again, after a retry), keeping its last error; adds it when new. */
    public static void start(List<WorkflowStep> steps, String name, Instant now) {
        for (int i = 0; i < steps.size(); i++) {
            WorkflowStep step = steps.get(i);
            if (step.name().equals(name)) {
                if (!"RUNNING".equals(step.status())) {
                    steps.set(i, new WorkflowStep(name, "RUNNING", now, null, step.error()));
                }
                return;
            }
        }
        steps.add(new WorkflowStep(name, "RUNNING", now, null, null));
    }

    /** Ends {@code name} with {@code status}; a completed step forgets earlier errors unless given one. */
    public static void end(List<WorkflowStep> steps, String name, String status, String error, Instant now) {
        for (int i = 0; i < steps.size(); i++) {
            WorkflowStep step = steps.get(i);
            if (step.name().equals(name)) {
                steps.set(i, new WorkflowStep(name, status, step.startedAt(), now,
                        error != null ? error : "COMPLETED".equals(status) ? null : step.error()));
                return;
            }
        }
        steps.add(new WorkflowStep(name, status, now, now, error));
    }

    /** Records {@code error} on {@code name} without changing its status; a step not yet known is left alone. */
    public static void recordError(List<WorkflowStep> steps, String name, String error) {
        for (int i = 0; i < steps.size(); i++) {
            WorkflowStep step = steps.get(i);
            if (step.name().equals(name)) {
                steps.set(i, new WorkflowStep(name, step.status(), step.startedAt(), step.endedAt(), error));
                return;
            }
        }
    }
}
