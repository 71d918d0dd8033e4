package org.orderly.config.privacy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AbstractEventProcessor;
import org.axonframework.eventhandling.EventProcessor;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerErasedEvent;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.processing.ProcessorLag;
import org.orderly.config.security.Actors;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * How far a customer's erasure has come. Every domain forgets its copies on {@link CustomerErasedEvent} in
 * one of its processors, so a domain has confirmed once each of its processors that handles the event has
 * passed it: read from the processors' own tokens, with no confirmation protocol to keep in step.
 */
@RestController
@Tag(name = "Customers")
class ErasureProgressController {

    /**
     * @param domain    the domain store whose processor forgets the copies
     * @param processor the processor that handles the erasure
     * @param done      whether it has passed the erasure event
     */
    record DomainPart(String domain, String processor, boolean done) {
    }

    /**
     * @param status   {@code ERASING} until every part is done, then {@code ERASED}
     * @param erasedAt when the key was deleted and the erasure recorded
     */
    record ErasureView(String customerId, String status, Instant erasedAt, List<DomainPart> parts) {
    }

    private final ObjectProvider<EventProcessingConfiguration> processing;
    private final DomainStores stores;
    private final ProcessorLag lag;
    private final JdbcTemplate eventStore;

    ErasureProgressController(ObjectProvider<EventProcessingConfiguration> processing, DomainStores stores,
                              ProcessorLag lag, JdbcTemplate eventStore) {
        this.processing = processing;
        this.stores = stores;
        this.lag = lag;
        this.eventStore = eventStore;
    }

    @Operation(operationId = "getCustomerErasure", summary = "Follow a customer's erasure",
            description = """
                    Each domain that keeps a readable copy of the customer's personal data, by the processor that \
                    forgets it, and whether it has done so: ERASING until every one has, then ERASED. 404 when no \
                    erasure was asked for, or for another customer.""")
    @ApiResponse(responseCode = "200", description = "The erasure and its parts")
    @ApiResponse(responseCode = "404", description = "No erasure of this customer, or another customer",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Erasure of customer b725e02b-0a51-4155-baec-3ca7081e3e91 does not exist",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/erasure"}""")))
    @GetMapping("/api/customers/{customerId}/erasure")
    ResponseEntity<ErasureView> progress(@PathVariable UUID customerId) {
        Actor actor = Actors.current();
        List<Map<String, Object>> erasure = actor.mayAccess(customerId) ? eventStore.queryForList("""
                SELECT global_index, time_stamp FROM event_store.domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type = ?
                """, customerId.toString(), CustomerErasedEvent.class.getName()) : List.of();
        if (erasure.isEmpty()) {
            throw Problems.notFound("Erasure of customer " + customerId);
        }
        long index = ((Number) erasure.get(0).get("global_index")).longValue();
        List<DomainPart> parts = new ArrayList<>();
        for (EventProcessor processor : processing.getObject().eventProcessors().values()) {
            if (processor instanceof AbstractEventProcessor handling
                    && handling.eventHandlerInvoker().canHandleType(CustomerErasedEvent.class)) {
                String domain = stores.forProcessingGroup(processor.getName()).map(store -> store.name()).orElse(null);
                parts.add(new DomainPart(domain, processor.getName(), lag.of(processor.getName()).position() >= index));
            }
        }
        parts.sort(java.util.Comparator.comparing(DomainPart::processor));
        boolean done = parts.stream().allMatch(DomainPart::done);
        return ResponseEntity.ok(new ErasureView(customerId.toString(), done ? "ERASED" : "ERASING",
                Instant.parse(String.valueOf(erasure.get(0).get("time_stamp"))), parts));
    }
}
