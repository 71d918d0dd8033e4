package org.orderly.config.eventstore.gaps;

import javax.annotation.Nonnull;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Tells {@link PassedGaps} that a processor handles the event of an index some read passed: the processor read it
 * through tokens that waited for it and needs no delivery. Costs one look at an empty map while nothing is watched.
 */
final class HandledLateEvents implements MessageHandlerInterceptor<EventMessage<?>> {

    private final String processor;
    private final PassedGaps gaps;

    HandledLateEvents(String processor, PassedGaps gaps) {
        this.processor = processor;
        this.gaps = gaps;
    }

    @Override
    public Object handle(@Nonnull UnitOfWork<? extends EventMessage<?>> unitOfWork,
                         @Nonnull InterceptorChain interceptorChain) throws Exception {
        if (unitOfWork.getMessage() instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
            long tokenIndex = tracked.trackingToken().position().orElse(-1L);
            gaps.handled(processor, tracked.getIdentifier(), tokenIndex);
        }
        return interceptorChain.proceed();
    }
}
