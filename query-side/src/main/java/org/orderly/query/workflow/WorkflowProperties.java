package org.orderly.query.workflow;

import java.time.Duration;

/** The workflows read model's settings, under {@code orderly.workflows.*}. */
public class WorkflowProperties {

    /**
     * How long past its deadline a running or compensating saga may go before it counts as stuck. It covers
     * the deadline scheduler's polling and the read model's lag, so that a deadline firing on time is never
     * reported.
     */
    private Duration stuckGrace = Duration.ofSeconds(30);

    public Duration getStuckGrace() { return stuckGrace; }
    public void setStuckGrace(Duration stuckGrace) { this.stuckGrace = stuckGrace; }
}
