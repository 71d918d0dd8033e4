package org.orderly.config.security;

import java.util.List;
import java.util.function.BiFunction;

import org.axonframework.lifecycle.Phase;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MetaData;
import org.orderly.api.common.Actor;

/**
 * Puts the sender into every command's and query's metadata as it is dispatched: the caller of the HTTP request
 * being served, or {@link Actor#SYSTEM} on a thread that serves none (sagas, deadlines, schedulers). Whatever
 * actor a message carried before (copied by correlation from the event a saga handles) is replaced, so that a
 * handler never mistakes Orderly's own follow-up for the customer's request, and a client cannot choose its
 * actor: commands and queries are built by the controllers, never taken from a request.
 */
public final class ActorPropagation implements MessageDispatchInterceptor<Message<?>> {

    private static final List<String> KEYS = List.of(Actor.SUBJECT, Actor.ROLES, Actor.CUSTOMER);

    @Override
    public BiFunction<Integer, Message<?>, Message<?>> handle(List<? extends Message<?>> messages) {
        return (index, message) -> withActor(message, actorOfThisThread());
    }

    static Actor actorOfThisThread() {
        Actor actor = Actors.current();
        return actor == null ? Actor.SYSTEM : actor;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Message<?> withActor(Message<?> message, Actor actor) {
        MetaData metaData = message.getMetaData().withoutKeys(new java.util.HashSet<>(KEYS))
                .mergedWith(actor.toMetaData());
        return ((Message) message).withMetaData(metaData);
    }

    /** The metadata keys the actor travels under, for correlation into the events a command causes. */
    public static List<String> keys() {
        return KEYS;
    }

    /** The phase the interceptor is registered in: with the local handlers, before any message is sent. */
    static final int PHASE = Phase.LOCAL_MESSAGE_HANDLER_REGISTRATIONS;
}
