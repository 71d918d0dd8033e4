package org.orderly.query.workflow;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.orderly.api.workflow.WorkflowUpdatedEvent;
import org.orderly.config.domainstore.DomainStoreDefinition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Declares the workflows domain store: schema {@code workflows}, written by the {@code workflows}
 * projection of every saga's published state.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkflowProperties.class)
class WorkflowStore {

    static final String DOMAIN = "workflows";

    @Bean
    DomainStoreDefinition workflowsDomainStore() {
        return DomainStoreDefinition.of(DOMAIN, WorkflowProjection.PROCESSING_GROUP);
    }

    /**
     * Saga updates belong to no aggregate, so by default each would be its own sequence, spread over the
     * segments. Sequencing them by workflow keeps one workflow's updates on one segment, in order: no two
     * transactions race on its row, and a dead letter holds back only that workflow.
     */
    @Bean
    ConfigurerModule workflowsSequencing() {
        return configurer -> configurer.eventProcessing().registerSequencingPolicy(WorkflowProjection.PROCESSING_GROUP,
                config -> event -> event.getPayload() instanceof WorkflowUpdatedEvent updated
                        ? updated.workflowId()
                        : SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event));
    }

}
