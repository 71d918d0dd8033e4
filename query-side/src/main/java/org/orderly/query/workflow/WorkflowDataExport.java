package org.orderly.query.workflow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerDataPart;
import org.orderly.api.customer.ExportCustomerDataQuery;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.privacy.ExportRows;
import org.springframework.stereotype.Component;

/**
 * The workflows domain's part of a data export: the workflows of the customer's orders and returns with their
 * steps, whose errors may quote what the customer typed (the reason they gave when cancelling). Found through the
 * domain's own copies of who placed each order and which order each return is of.
 */
@Component
class WorkflowDataExport {

    private final DomainStore store;

    WorkflowDataExport(DomainStores stores) {
        this.store = stores.get(WorkflowStore.DOMAIN);
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        UUID customerId = query.customerId().value();
        if (!actor.mayAccess(customerId)) {
            return CustomerDataPart.empty(WorkflowStore.DOMAIN);
        }
        return ExportRows.inOneSnapshot(store, () -> {
            List<Map<String, Object>> workflows = ExportRows.all(store.jdbc(), """
                    SELECT workflow_id, type, business_id, status, current_step, deadline, revision, updated_at
                      FROM workflows
                     WHERE business_id IN (SELECT o.order_id::text FROM order_owners o WHERE o.customer_id = ?)
                        OR business_id IN (SELECT r.return_id::text FROM return_orders r
                                             JOIN order_owners o ON o.order_id = r.order_id WHERE o.customer_id = ?)
                     ORDER BY updated_at, workflow_id
                    """, customerId, customerId);
            for (Map<String, Object> workflow : workflows) {
                workflow.put("steps", ExportRows.all(store.jdbc(), """
                        SELECT position, name, status, started_at, ended_at, error FROM workflow_steps
                         WHERE workflow_id = ? ORDER BY position
                        """, UUID.fromString((String) workflow.get("workflowId"))));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            if (!workflows.isEmpty()) {
                data.put("workflows", workflows);
            }
            return new CustomerDataPart(WorkflowStore.DOMAIN, data);
        });
    }
}
