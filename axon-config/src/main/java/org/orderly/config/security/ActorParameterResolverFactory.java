package org.orderly.config.security;

import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;

import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.ParameterResolver;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.orderly.api.common.Actor;

/**
 * Lets any Axon handler declare a parameter of type {@link Actor}: the sender named in the message's metadata,
 * or {@link Actor#ANONYMOUS} when it names none, so a handler that forgets nothing still fails closed. Found by
 * Axon through {@code META-INF/services}, so aggregates, projections and test fixtures all resolve it.
 */
public final class ActorParameterResolverFactory implements ParameterResolverFactory {

    @Override
    public ParameterResolver<Actor> createInstance(Executable executable, Parameter[] parameters, int parameterIndex) {
        if (!Actor.class.equals(parameters[parameterIndex].getType())) {
            return null;
        }
        return new ParameterResolver<>() {
            @Override
            public Actor resolveParameterValue(Message<?> message) {
                return Actor.fromMetaData(message.getMetaData());
            }

            @Override
            public boolean matches(Message<?> message) {
                return true;
            }
        };
    }
}
