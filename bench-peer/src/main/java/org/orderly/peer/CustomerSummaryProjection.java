package org.orderly.peer;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

/** One repository save() per event, on a tracking processor with Axon's default settings. */
@Component
@ProcessingGroup("customer-summaries")
class CustomerSummaryProjection {

    private final CustomerSummaryRepository repository;

    CustomerSummaryProjection(CustomerSummaryRepository repository) {
        this.repository = repository;
    }

    @EventHandler
    void on(Messages.CustomerRegisteredEvent event) {
        repository.save(new CustomerSummary(event.customerId(), event.email(), event.name()));
    }

    @QueryHandler
    CustomerSummary handle(Messages.FindCustomerQuery query) {
        return repository.findById(query.customerId()).orElse(null);
    }
}
