package org.orderly.config.ops;

import java.util.List;

/**
 * Stuck sagas, as far as Orderly can tell today: saga processors in an error state (a failing saga
 * handler blocks its segment, so every saga in it waits). No domain declares a saga yet, so this is
 * empty until one does.
 */
public class Sagas {

    private final ProcessorCatalog processors;

    public Sagas(ProcessorCatalog processors) {
        this.processors = processors;
    }

    public List<OpsViews.Processor> stuck() {
        return processors.all().stream()
                .filter(p -> p.kind() == ProcessorKind.SAGA && "ERROR".equals(p.status()))
                .toList();
    }
}
