package org.orderly.command.customer;

import java.net.URI;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.orderly.api.common.Actor;
import org.orderly.api.common.Money;
import org.orderly.api.common.Refusal;
import org.orderly.api.common.RefusedException;
import org.orderly.api.customer.ChangeCustomerEmailCommand;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.DeactivateCustomerCommand;
import org.orderly.api.customer.EraseCustomerCommand;
import org.orderly.api.customer.RegisterCustomerCommand;
import org.orderly.api.customer.SetCustomerCreditLimitCommand;
import org.orderly.config.security.Actors;
import org.orderly.config.security.CustomerCredentials;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.orderly.config.web.Problems;
import org.springframework.beans.factory.ObjectProvider;
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
    private final CustomerCredentials credentials;

    CustomerCommandController(CommandGateway commands, CustomerProperties properties,
                              ObjectProvider<CustomerCredentials> credentials) {
        this.commands = commands;
        this.properties = properties;
        this.credentials = credentials.getIfAvailable();
    }

    /**
     * @param password    with the embedded issuer, what the customer will log in with (kept hashed in the identity
     *                    store only); with an external issuer, not accepted: sign-up is then made with the provider's
     *                    token, whose subject becomes the customer
     * @param creditLimit staff only; a customer starts at the default limit
     */
    record RegisterCustomerRequest(
            @NotBlank @Email @Size(max = CustomerRules.MAX_EMAIL) String email,
            @NotBlank @Size(max = CustomerRules.MAX_NAME) String name,
            @Size(min = CustomerCredentials.MIN_PASSWORD, max = CustomerCredentials.MAX_PASSWORD) String password,
            @Valid MoneyJson creditLimit) {
    }

    record ChangeEmailRequest(@NotBlank @Email @Size(max = CustomerRules.MAX_EMAIL) String email) {
    }

    record ChangePasswordRequest(
            @NotBlank @Size(max = CustomerCredentials.MAX_PASSWORD) String currentPassword,
            @NotBlank @Size(min = CustomerCredentials.MIN_PASSWORD, max = CustomerCredentials.MAX_PASSWORD) String newPassword) {
    }

    record CustomerRegistered(String customerId) {
    }

    @PostMapping
    ResponseEntity<CustomerRegistered> register(@Valid @RequestBody RegisterCustomerRequest request) {
        Actor actor = Actors.current();
        if (request.creditLimit() != null && (actor == null || !actor.seesEveryCustomer())) {
            throw Problems.badRequest("creditLimit", "is set by staff, not at sign-up");
        }
        CustomerId id;
        boolean withPassword;
        if (actor != null && actor.seesEveryCustomer()) {
            // staff registering a customer they serve (by phone, in a shop, an import): a customer record, with a
            // login only when they give it a password
            id = CustomerId.newId();
            withPassword = request.password() != null;
            if (withPassword && credentials == null) {
                throw Problems.badRequest("password", "is kept by the identity provider, not by Orderly");
            }
        } else if (credentials == null && actor != null && actor.has(Actor.Role.CUSTOMER) && actor.customerId() != null) {
            // signed in at an external provider: the token's subject is the customer
            if (request.password() != null) {
                throw Problems.badRequest("password", "is kept by your identity provider, not by Orderly");
            }
            id = new CustomerId(actor.customerId());
            withPassword = false;
        } else {
            if (credentials == null) {
                throw Problems.badRequest("password", "sign up with your identity provider, then register with its token");
            }
            if (request.password() == null) {
                throw Problems.badRequest("password", "must be given");
            }
            id = CustomerId.newId();
            withPassword = true;
        }
        Money creditLimit = request.creditLimit() == null
                ? properties.defaultCreditLimit() : request.creditLimit().toMoney("creditLimit");
        if (withPassword) {
            credentials.create(id.value(), request.email(), request.password());
        }
        try {
            commands.sendAndWait(new RegisterCustomerCommand(id, request.email(), request.name(), creditLimit));
        } catch (RuntimeException refused) {
            if (withPassword) {
                credentials.discard(id.value());
            } else if (alreadyExists(refused)) {
                // the same provider account signing up again: its customer id is taken by its first sign-up
                throw new RefusedException(Refusal.conflict("customerId",
                        "you have signed up already, as customer " + id));
            }
            throw refused;
        }
        return ResponseEntity.created(URI.create("/api/customers/" + id))
                .body(new CustomerRegistered(id.toString()));
    }

    @PutMapping("/{customerId}/email")
    ResponseEntity<Void> changeEmail(@PathVariable UUID customerId,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @Valid @RequestBody ChangeEmailRequest request) {
        commands.sendAndWait(new ChangeCustomerEmailCommand(new CustomerId(customerId), request.email(),
                ETags.expectedVersion(ifMatch)));
        if (credentials != null) {
            credentials.changeLogin(customerId, request.email());
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * Whether a registration failed because the customer's event stream exists already: Axon's
     * {@link AggregateStreamCreationException} where its exception resolver recognises the duplicate key, else the
     * database's unique violation (SQLSTATE 23505) itself.
     */
    private static boolean alreadyExists(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof AggregateStreamCreationException
                    || cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A customer's own password, with the current one as proof; the identity store is all it touches. */
    @PutMapping("/{customerId}/password")
    ResponseEntity<Void> changePassword(@PathVariable UUID customerId,
                                        @Valid @RequestBody ChangePasswordRequest request) {
        Actor actor = Actors.current();
        if (actor == null || !actor.has(Actor.Role.CUSTOMER) || !customerId.equals(actor.customerId())) {
            throw new RefusedException(Refusal.notFound("No resource with id " + customerId));
        }
        if (credentials == null) {
            throw Problems.badRequest("newPassword", "is kept by your identity provider, not by Orderly");
        }
        credentials.changePassword(customerId, request.currentPassword(), request.newPassword());
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

    /**
     * The customer, or staff for them, asks to be forgotten. The key that seals their personal data is deleted
     * at once; each domain then forgets its readable copies, which the Location shows as they confirm. Asking
     * again is harmless and answers the same.
     */
    @PostMapping("/{customerId}/erasure")
    ResponseEntity<Void> erase(@PathVariable UUID customerId) {
        commands.sendAndWait(new EraseCustomerCommand(new CustomerId(customerId)));
        return ResponseEntity.accepted().location(URI.create("/api/customers/" + customerId + "/erasure")).build();
    }
}
