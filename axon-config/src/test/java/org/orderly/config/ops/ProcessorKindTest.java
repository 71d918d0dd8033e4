package org.orderly.config.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessorKindTest {

    @Test
    void aProcessingGroupEndingInCopiesKeepsACachedCopy() {
        assertThat(ProcessorKind.of("order-customer-copies")).isEqualTo(ProcessorKind.CACHED_COPY);
    }

    @Test
    void axonsNameForASagaProcessorMakesItASaga() {
        assertThat(ProcessorKind.of("OrderFulfilmentSagaProcessor")).isEqualTo(ProcessorKind.SAGA);
    }

    @Test
    void anyOtherProcessorIsAProjection() {
        assertThat(ProcessorKind.of("customers")).isEqualTo(ProcessorKind.PROJECTION);
        assertThat(ProcessorKind.of("copies-of-nothing")).isEqualTo(ProcessorKind.PROJECTION);
    }
}
