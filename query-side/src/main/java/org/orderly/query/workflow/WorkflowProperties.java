package org.orderly.query.workflow;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The workflows read model's settings, under {@code orderly.workflows.*}.
 *
 * @param stuckGrace how long past its deadline a running or compensating saga may go before it counts as stuck. It
 *                   covers the deadline scheduler's polling and the read model's lag, so that a deadline firing on
 *                   time is never reported.
 */
@ConfigurationProperties("orderly.workflows")
public record WorkflowProperties(@DefaultValue("30s") Duration stuckGrace) {
}
