package org.orderly.config.ops;

import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.modelling.saga.AbstractSagaManager;

/**
 * What a processor maintains, decided from what it is rather than from a list, so that new processors
 * are classified without code changes: a saga manager (or Axon's {@code <SagaType>Processor} name) is a
 * saga, a processing group whose name ends in {@code -copies} keeps a domain's cached copy of another
 * domain's data, and anything else is a projection.
 */
public enum ProcessorKind {
    PROJECTION, CACHED_COPY, SAGA;

    static ProcessorKind of(EventProcessor processor) {
        if (processor instanceof AbstractEventProcessor p && p.eventHandlerInvoker() instanceof AbstractSagaManager<?>) {
            return SAGA;
        }
        return of(processor.getName());
    }

    static ProcessorKind of(String name) {
        if (name.endsWith("SagaProcessor")) {
            return SAGA;
        }
        return name.endsWith("-copies") ? CACHED_COPY : PROJECTION;
    }
}
