package org.orderly.config.domainstore;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.sagas.*}: saga processors. (A saga's own settings sit below, e.g. {@code orderly.sagas.fulfilment},
 * each owned by its domain.)
 *
 * @param segments  segments a new saga processor starts with, each worked on by a thread of its own. A saga waits for
 *                  each command it sends, one saga at a time per segment, so more segments overlap more waiting; but
 *                  Axon hands every event to every segment, and each looks the event's sagas up in the saga store, so
 *                  on a small machine more segments cost more than they overlap. Measured on 2 cores (fulfilment
 *                  benchmark, 30 s): at 20 orders/s 4 segments gave p50 34 ms against 110 ms for 16; at 25/s 1.0 s
 *                  against 12 s.
 * @param batchSize at most this many events a saga processor handles in one transaction.
 */
@ConfigurationProperties("orderly.sagas")
public record SagaProcessorProperties(@DefaultValue("4") int segments, @DefaultValue("50") int batchSize) {
}
