package org.orderly.config.domainstore;

import java.util.Optional;

import javax.annotation.Nonnull;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs each event handler of a domain-store projection inside a savepoint of the batch's transaction.
 * PostgreSQL aborts a whole transaction on the first failed statement; without the savepoint, one
 * failing event would poison its batch, so the dead-letter queue (which writes in the same
 * transaction, next to the token) could not park it, and the processor would retry the batch forever.
 * With it, the failed handler's writes are undone, the event is dead-lettered, and the batch commits.
 */
class SavepointPerEventHandler implements HandlerEnhancerDefinition {

    private final DomainStores stores;

    SavepointPerEventHandler(DomainStores stores) {
        this.stores = stores;
    }

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(@Nonnull MessageHandlingMember<T> original) {
        if (!original.canHandleMessageType(EventMessage.class)) {
            return original;
        }
        ProcessingGroup group = original.declaringClass().getAnnotation(ProcessingGroup.class);
        Optional<DomainStore> store = group == null ? Optional.empty() : stores.forProcessingGroup(group.value());
        if (store.isEmpty()) {
            return original;
        }
        TransactionTemplate savepoint = store.get().transactions();
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public Object handle(@Nonnull Message<?> message, T target) throws Exception {
                if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                    return super.handle(message, target);
                }
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
