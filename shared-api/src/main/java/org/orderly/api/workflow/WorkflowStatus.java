package org.orderly.api.workflow;

/**
 * Where a saga stands. {@code COMPENSATION_FAILED} and {@code FAILED} are parked: a step gave up after its
 * retries and waits for an operator's retry. {@code FAILED} is a step that cannot be compensated (the goods
 * have left the warehouse), so it must be pushed through instead.
 */
public enum WorkflowStatus { RUNNING, COMPLETED, COMPENSATING, COMPENSATED, COMPENSATION_FAILED, FAILED }
