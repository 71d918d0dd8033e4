package org.orderly.config.privacy;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.orderly.api.customer.CustomerEmailChangedEvent;
import org.orderly.api.customer.CustomerRegisteredEvent;
import org.orderly.api.order.OrderCancelledEvent;
import org.orderly.api.returns.ReturnRequestedEvent;

/**
 * The events that carry personal data, and how a stored one of an older revision becomes the current one.
 * <p>
 * The current revision of each is the one whose personal components are stored sealed; every older revision was
 * written before sealing, with those components in plaintext. The revision tells the two apart, so that the
 * one-time migration ({@link StoredEventSealing}) knows which stored payloads still need sealing and a re-run
 * finds none. An older payload is upcast to the current shape without being sealed (an upcaster has no key and
 * writes nothing back): its plaintext reads as it is, since a text without the sealed prefix is taken as
 * plaintext, until the migration seals it in place.
 */
public final class PersonalDataRevisions {

    /**
     * One event type carrying personal data: its class, whose {@link Revision} is the current (sealed) revision,
     * and what turns the payload of any older revision into the current shape.
     */
    public record SealedEvent(Class<?> type, UnaryOperator<ObjectNode> toCurrent) {

        public SealedEvent {
            Objects.requireNonNull(type.getAnnotation(Revision.class), type.getName() + " names no @Revision");
        }

        public String typeName() {
            return type.getName();
        }

        public String currentRevision() {
            return type.getAnnotation(Revision.class).value();
        }

        /** Whether a stored payload of this revision was written before sealing. */
        public boolean isOlder(String revision) {
            return !currentRevision().equals(revision);
        }
    }

    /**
     * Every event with personal data. Revision 1 of {@link CustomerRegisteredEvent} has no credit limit, which
     * reads as {@code null}; revision 1 of {@link ReturnRequestedEvent} names no customer, which reads as
     * {@code null} until the migration fills it in from the order's {@code OrderPlacedEvent}.
     */
    public static final List<SealedEvent> ALL = List.of(
            new SealedEvent(CustomerRegisteredEvent.class, withNull("creditLimit")),
            new SealedEvent(CustomerEmailChangedEvent.class, UnaryOperator.identity()),
            new SealedEvent(OrderCancelledEvent.class, UnaryOperator.identity()),
            new SealedEvent(ReturnRequestedEvent.class, withNull("customerId")));

    private PersonalDataRevisions() {
    }

    /** Axon's upcasters for every event in {@link #ALL}, each taking any older revision to the current one. */
    public static EventUpcaster upcasters() {
        return new EventUpcasterChain(ALL.stream().map(ToCurrentRevision::new).toList());
    }

    private static UnaryOperator<ObjectNode> withNull(String field) {
        return payload -> {
            if (!payload.has(field)) {
                payload.putNull(field);
            }
            return payload;
        };
    }

    /** Upcasts a stored payload of any older revision of one event type straight to its current revision. */
    static final class ToCurrentRevision extends SingleEventUpcaster {
        private final SealedEvent event;
        private final SimpleSerializedType current;

        ToCurrentRevision(SealedEvent event) {
            this.event = event;
            this.current = new SimpleSerializedType(event.typeName(), event.currentRevision());
        }

        @Override
        protected boolean canUpcast(IntermediateEventRepresentation representation) {
            return representation.getType().getName().equals(event.typeName())
                    && event.isOlder(representation.getType().getRevision());
        }

        @Override
        protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
            return representation.upcastPayload(current, JsonNode.class,
                    payload -> payload instanceof ObjectNode object ? event.toCurrent().apply(object.deepCopy()) : payload);
        }
    }
}
