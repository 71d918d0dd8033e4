package org.orderly.config.ops;

import java.util.List;

/**
 * Sagas that cannot move, in the two ways that can happen: a saga <em>processor</em> in an error state (a failing
 * saga handler blocks its segment, so every saga in it waits), and single sagas past their deadline, which the
 * workflows read model knows (asked through the query bus, so this platform module needs no query-side code).
 */
public class Sagas {

    private final ProcessorCatalog processors;
    private final java.util.function.Supplier<org.axonframework.queryhandling.QueryGateway> queries;

    public Sagas(ProcessorCatalog processors,
                 java.util.function.Supplier<org.axonframework.queryhandling.QueryGateway> queries) {
        this.processors = processors;
        this.queries = queries;
    }

    /** Sagas running or compensating past their deadline, oldest id first; at most {@code limit}. */
    public List<org.orderly.api.workflow.WorkflowView> pastDeadline(int limit) {
        return queries.get().query(new org.orderly.api.workflow.FindWorkflowsQuery(null, null, null, true, limit, null),
                org.axonframework.messaging.responsetypes.ResponseTypes.instanceOf(
                        org.orderly.api.workflow.WorkflowPage.class)).join().items();
    }

    /** Saga processors in an error state. */
    public List<OpsViews.Processor> failingProcessors() {
        return processors.all().stream()
                .filter(p -> p.kind() == ProcessorKind.SAGA && "ERROR".equals(p.status()))
                .toList();
    }
}
