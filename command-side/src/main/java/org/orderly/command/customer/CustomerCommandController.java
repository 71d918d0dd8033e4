package org.orderly.command.customer;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.orderly.api.common.Money;
import org.orderly.api.customer.ChangeCustomerEmailCommand;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.DeactivateCustomerCommand;
import org.orderly.api.customer.RegisterCustomerCommand;
import org.orderly.api.customer.SetCustomerCreditLimitCommand;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Customer commands over HTTP. Each call waits for the command to be stored, or refused. */
@RestController
@RequestMapping("/api/customers")
class CustomerCommandController {

    private final CommandGateway commands;
    private final CustomerProperties properties;

    CustomerCommandController(CommandGateway commands, CustomerProperties properties) {
        this.commands = commands;
        this.properties = properties;
    }

    record RegisterCustomerRequest(
            @NotBlank @Email @Size(max = CustomerRules.MAX_EMAIL) String email,
            @NotBlank @Size(max = CustomerRules.MAX_NAME) String name,
            @Valid MoneyJson creditLimit) {
    }

    record ChangeEmailRequest(@NotBlank @Email @Size(max = CustomerRules.MAX_EMAIL) String email) {
    }

    record CustomerRegistered(String customerId) {
    }

    @PostMapping
    ResponseEntity<CustomerRegistered> register(@Valid @RequestBody RegisterCustomerRequest request) {
        CustomerId id = CustomerId.newId();
        Money creditLimit = request.creditLimit() == null
                ? properties.defaultCreditLimit() : request.creditLimit().toMoney("creditLimit");
        commands.sendAndWait(new RegisterCustomerCommand(id, request.email(), request.name(), creditLimit));
        return ResponseEntity.created(URI.create("/api/customers/" + id))
                .body(new CustomerRegistered(id.toString()));
    }

    @PutMapping("/{customerId}/email")
    ResponseEntity<Void> changeEmail(@PathVariable UUID customerId,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @Valid @RequestBody ChangeEmailRequest request) {
        commands.sendAndWait(new ChangeCustomerEmailCommand(new CustomerId(customerId), request.email(),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/{customerId}/credit-limit")
    ResponseEntity<Void> setCreditLimit(@PathVariable UUID customerId,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                        @Valid @RequestBody MoneyJson creditLimit) {
        commands.sendAndWait(new SetCustomerCreditLimitCommand(new CustomerId(customerId),
                creditLimit.toMoney("creditLimit"), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{customerId}/deactivation")
    ResponseEntity<Void> deactivate(@PathVariable UUID customerId,
                                    @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new DeactivateCustomerCommand(new CustomerId(customerId), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }
}
