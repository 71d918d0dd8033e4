package org.orderly.config.domainstore;

import java.util.Optional;

import javax.annotation.Nonnull;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lets the dead-letter queue park a single failing event of a domain-store projection.
 * <p>
 * PostgreSQL aborts a whole transaction on the first failed statement; the dead-letter queue writes in
 * the same transaction as the projection (next to the token), so a failed statement would poison its
 * whole batch and the processor would retry it forever. Events are therefore handled in one of two ways
 * (see {@link EventIsolation}): optimistically, straight in the batch's transaction, where any failure
 * marks the batch's transaction rollback-only and records the position; or, for positions recorded that
 * way and for a dead letter's retry (a single event, outside any batch), each inside its own savepoint,
 * so the failed handler's writes are undone, the event is
 * dead-lettered, and the rest of the batch commits.
 * <p>
 * <b>Works around Axon</b> (listed with the others in {@code docs/axon-workarounds.md}). Axon 4.13 writes dead
 * letters in the failing batch's transaction; this can go when it writes them in a transaction of their own or
 * isolates each event of a retried batch.
 */
class SavepointIsolatingHandlerEnhancer implements HandlerEnhancerDefinition {

    private final DomainStores stores;

    SavepointIsolatingHandlerEnhancer(DomainStores stores) {
        this.stores = stores;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(@Nonnull MessageHandlingMember<T> original) {
        if (!original.canHandleMessageType(EventMessage.class)) {
            return original;
        }
        ProcessingGroup group = original.declaringClass().getAnnotation(ProcessingGroup.class);
        Optional<DomainStore> found = group == null ? Optional.empty() : stores.forProcessingGroup(group.value());
        if (found.isEmpty()) {
            return original;
        }
        DomainStore store = found.get();
        String processingGroup = group.value();
        EventIsolation isolation = stores.isolation();
        TransactionTemplate savepoint = store.transactions();
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(@Nonnull Message<?> message, T target) throws Exception {
                if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                    return super.handle(message, target);
                }
                long position = EventIsolation.positionOf(message);
                // Only a processor's batch can be retried as a whole; a dead letter's retry handles one event.
                boolean inBatch = CurrentUnitOfWork.isStarted()
                        && CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?>;
                if (inBatch && !isolation.isolated(processingGroup, position)) {
                    EventIsolation.enter(processingGroup, false);
                    try {
                        return super.handle(message, target);
                    } catch (Exception | Error e) {
                        // Whatever this handler already wrote cannot be undone alone: fail the batch, retry it isolated.
                        isolation.isolateUpTo(processingGroup, position);
                        if (TransactionSynchronizationManager.getResource(store.dataSource()) instanceof ConnectionHolder holder) {
                            holder.setRollbackOnly();
                        }
                        throw e;
                    } finally {
                        EventIsolation.leave();
                    }
                }
                EventIsolation.enter(processingGroup, true);
                try {
                    return savepoint.execute(status -> {
                        try {
                            return super.handle(message, target);
                        } catch (Exception e) {
                            throw new HandlerFailure(e);
                        }
                    });
                } catch (HandlerFailure failure) {
                    throw failure.cause;
                } finally {
                    EventIsolation.leave();
                }
            }
        };
    }

    /** Carries a checked exception out of the transaction callback unchanged. */
    private static final class HandlerFailure extends RuntimeException {
        private final Exception cause;

        HandlerFailure(Exception cause) {
            super(null, cause, false, false);
            this.cause = cause;
        }
    }
}
