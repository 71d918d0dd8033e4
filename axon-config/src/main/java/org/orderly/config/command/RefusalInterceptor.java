package org.orderly.config.command;

import javax.annotation.Nonnull;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;

/**
 * Turns refusals into {@link CommandExecutionException}s whose details carry the {@link Refusal}: the
 * only form of an exception that crosses a distributed command bus (Axon Server) intact. Throwing
 * here also rolls the unit of work back, so a refused command writes nothing.
 */
public class RefusalInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    @Override
    public Object handle(@Nonnull UnitOfWork<? extends CommandMessage<?>> unitOfWork,
                         @Nonnull InterceptorChain chain) throws Exception {
        try {
            return chain.proceed();
        } catch (RefusedException e) {
            throw refused(e.refusal());
        } catch (AggregateNotFoundException e) {
            throw refused(Refusal.notFound("No resource with id " + e.getAggregateIdentifier()));
        } catch (ConflictingAggregateVersionException e) {
            throw refused(Refusal.conflict("If-Match", "The resource changed since you read it: it is at version "
                    + e.getActualVersion() + ", you expected " + e.getExpectedVersion()));
        }
    }

    private static CommandExecutionException refused(Refusal refusal) {
        return new CommandExecutionException(refusal.message(), null, refusal, false);
    }
}
