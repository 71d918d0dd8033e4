package org.orderly.config.eventstore.gaps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;

import org.axonframework.eventhandling.EventHandlerInvoker;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.junit.jupiter.api.Test;

class LateCommitAuditorTest {

    private final EventMessage<?> event = new GenericDomainEventMessage<>("Customer", "customer-7", 0, "registered");

    @Test
    void aLateEventIsHandedToAProjectionUnderASegmentOfItsOwnSequenceThatNoWorkerShares() {
        SimpleEventHandlerInvoker invoker = SimpleEventHandlerInvoker.builder()
                .eventHandlers(new Object() {
                    @org.axonframework.eventhandling.EventHandler
                    void on(String registered) {
                    }
                }).build();

        Segment segment = LateCommitAuditor.segmentOf(invoker, event);

        assertThat(segment.matches(Objects.hashCode("customer-7"))).isTrue();
        assertThat(segment).isNotEqualTo(Segment.ROOT_SEGMENT);
        assertThat(Segment.ROOT_SEGMENT.split()).doesNotContain(segment);
        assertThat(invoker.canHandle(event, segment)).isTrue();
    }

    @Test
    void aLateEventIsHandedToOtherInvokersUnderTheRootSegment() {
        EventHandlerInvoker other = new EventHandlerInvoker() {
            @Override
            public boolean canHandle(EventMessage<?> eventMessage, Segment segment) {
                return true;
            }

            @Override
            public void handle(EventMessage<?> message, Segment segment) {
            }
        };

        assertThat(LateCommitAuditor.segmentOf(other, event)).isEqualTo(Segment.ROOT_SEGMENT);
    }
}
