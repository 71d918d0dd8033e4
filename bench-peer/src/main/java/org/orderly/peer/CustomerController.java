package org.orderly.peer;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/customers")
class CustomerController {

    private final CommandGateway commands;
    private final QueryGateway queries;

    CustomerController(CommandGateway commands, QueryGateway queries) {
        this.commands = commands;
        this.queries = queries;
    }

    record RegisterCustomerRequest(String email, String name) {
    }

    @PostMapping
    ResponseEntity<Map<String, UUID>> register(@RequestBody RegisterCustomerRequest request) {
        if (request.email() == null || request.email().isBlank() || request.name() == null || request.name().isBlank()) {
            return ResponseEntity.badRequest().build();
        }
        UUID id = UUID.randomUUID();
        commands.sendAndWait(new Messages.RegisterCustomerCommand(id, request.email(), request.name()));
        return ResponseEntity.created(URI.create("/api/customers/" + id)).body(Map.of("customerId", id));
    }

    @GetMapping("/{id}")
    ResponseEntity<CustomerSummary> find(@PathVariable UUID id) {
        CustomerSummary summary = queries.query(new Messages.FindCustomerQuery(id),
                ResponseTypes.instanceOf(CustomerSummary.class)).join();
        return summary == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(summary);
    }
}
