package org.orderly.command.customer;

import java.net.URI;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.orderly.config.audit.AuditedPersonalData;
import org.orderly.config.security.Actors;
import org.orderly.config.security.CustomerCredentials;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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
@Tag(name = "Customers", description = "Signing up, a customer's own record and login, and the credit limit staff set")
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

    record CustomerRegistered(@Schema(description = "The new customer's id", format = "uuid") String customerId) {
    }

    @Operation(operationId = "registerCustomer", summary = "Register a customer",
            description = """
                    Signing up, or staff registering a customer. With the embedded issuer, a caller without a token \
                    signs up with a password (kept hashed in the identity store only) and then logs in with the \
                    email and that password. With an external issuer, a customer registers with their provider's \
                    token and no password: the token's subject becomes the customer id, and a second sign-up is a \
                    409. Staff may set creditLimit (a customer starts at the configured default) and give a \
                    password only where Orderly keeps them. The new customer is read back with \
                    GET /api/customers/{customerId} sending this answer's Orderly-Position, since the read model \
                    follows asynchronously.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = {
                    @ExampleObject(name = "signUp", summary = "A customer signing up (embedded issuer)", value = """
                            {"email": "ada@example.com", "name": "Ada Lovelace", "password": "analytical engine 1843"}"""),
                    @ExampleObject(name = "byStaff", summary = "Staff registering a customer, with a credit limit",
                            value = """
                                    {"email": "charles@example.com", "name": "Charles Babbage",
                                     "creditLimit": {"amount": "8000.00", "currency": "EUR"}}""")}))
    @ApiResponse(responseCode = "201", description = "Registered; Location is the customer",
            headers = @Header(name = "Location", description = "The customer: /api/customers/{customerId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CustomerRegistered.class), examples = @ExampleObject(value = """
                            {"customerId": "b725e02b-0a51-4155-baec-3ca7081e3e91"}""")))
    @ApiResponse(responseCode = "400", description = "A field is missing or invalid, a password is missing or not Orderly's to keep, "
                + "or a credit limit set at sign-up",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "invalidEmail", summary = "An email that is none", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "email must be a well-formed email address",
                             "instance": "/api/customers",
                             "errors": [{"field": "email", "reason": "must be a well-formed email address"}]}"""),
                    @ExampleObject(name = "missingPassword", summary = "A sign-up without a password", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "password: must be given",
                             "instance": "/api/customers",
                             "errors": [{"field": "password", "reason": "must be given"}]}"""),
                    @ExampleObject(name = "creditLimitAtSignUp", summary = "A customer setting their own credit limit", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "creditLimit: is set by staff, not at sign-up",
                             "instance": "/api/customers",
                             "errors": [{"field": "creditLimit", "reason": "is set by staff, not at sign-up"}]}""")}))
    @ApiResponse(responseCode = "409", description = "The email is in use already, or (external issuer) this account has signed up "
                + "already",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "emailInUse", summary = "An email another customer has", value = """
                        {"type": "about:blank", "title": "Conflict", "status": 409,
                         "detail": "This email is already in use",
                         "instance": "/api/customers",
                         "errors": [{"field": "email", "reason": "This email is already in use"}]}""")))
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

    @Operation(operationId = "changeCustomerEmail", summary = "Change a customer's email",
            description = """
                    A customer changes their own email, which is also their login with the embedded issuer. If-Match \
                    (the customer's ETag) makes the change conditional on the version read. Another customer's id \
                    answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "204", description = "Changed (or it was that email already)")
    @ApiResponse(responseCode = "404", description = "No such customer, or another customer (answered alike)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id b725e02b-0a51-4155-baec-3ca7081e3e91",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/email"}""")))
    @ApiResponse(responseCode = "409", description = "The email is another customer's, the customer is deactivated, or it changed "
                + "since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "emailInUse", summary = "Another customer's email", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "This email is already in use",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/email",
                             "errors": [{"field": "email", "reason": "This email is already in use"}]}"""),
                    @ExampleObject(name = "deactivated", summary = "A deactivated customer", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Customer b725e02b-0a51-4155-baec-3ca7081e3e91 is deactivated",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/email"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/email",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
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
    @Operation(operationId = "changeCustomerPassword", summary = "Change your password",
            description = """
                    A customer changes their own password, proving it with the current one. Only the identity store \
                    changes: no command, no event. With an external issuer the password is the provider's (400). \
                    Any other customer id than the caller's own answers 404.""")
    @ApiResponse(responseCode = "204", description = "Changed")
    @ApiResponse(responseCode = "400", description = "The current password is wrong, the new one too short or too long, or passwords "
                + "are kept by an external provider",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "wrongCurrentPassword", summary = "The current password is wrong", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "is not the current password",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/password",
                             "errors": [{"field": "currentPassword", "reason": "is not the current password"}]}"""),
                    @ExampleObject(name = "newPasswordTooShort", summary = "A new password under 12 characters", value = """
                            {"type": "about:blank", "title": "Bad Request", "status": 400,
                             "detail": "newPassword size must be between 12 and 64",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/password",
                             "errors": [{"field": "newPassword", "reason": "size must be between 12 and 64"}]}""")}))
    @ApiResponse(responseCode = "404", description = "Not the caller's own customer id",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id b725e02b-0a51-4155-baec-3ca7081e3e91",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/password"}""")))
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

    @Operation(operationId = "setCustomerCreditLimit", summary = "Set a customer's credit limit",
            description = """
                    Staff set the most a customer's orders may total. Orders already placed are not affected. \
                    If-Match (the customer's ETag) makes the change conditional on the version read.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = """
                    {"amount": "8000.00", "currency": "EUR"}""")))
    @ApiResponse(responseCode = "204", description = "Set")
    @ApiResponse(responseCode = "400", description = "The amount is negative, has more decimals than its currency, or the currency is "
                + "unknown",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Bad Request", "status": 400,
                         "detail": "must not be negative",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/credit-limit",
                         "errors": [{"field": "creditLimit", "reason": "must not be negative"}]}""")))
    @ApiResponse(responseCode = "404", description = "No such customer",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id b725e02b-0a51-4155-baec-3ca7081e3e91",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/credit-limit"}""")))
    @ApiResponse(responseCode = "409", description = "The customer is deactivated, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "deactivated", summary = "A deactivated customer", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Customer b725e02b-0a51-4155-baec-3ca7081e3e91 is deactivated",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/credit-limit"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/credit-limit",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PutMapping("/{customerId}/credit-limit")
    @AuditedPersonalData
    ResponseEntity<Void> setCreditLimit(@PathVariable UUID customerId,
                                        @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                        @Valid @RequestBody MoneyJson creditLimit) {
        commands.sendAndWait(new SetCustomerCreditLimitCommand(new CustomerId(customerId),
                creditLimit.toMoney("creditLimit"), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "deactivateCustomer", summary = "Deactivate a customer",
            description = """
                    A customer closes their account: no further order or change is accepted (409 from then on). \
                    Orders already placed go on. Another customer's id answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "204", description = "Deactivated")
    @ApiResponse(responseCode = "404", description = "No such customer, or another customer (answered alike)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id b725e02b-0a51-4155-baec-3ca7081e3e91",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/deactivation"}""")))
    @ApiResponse(responseCode = "409", description = "Already deactivated, or changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "deactivated", summary = "A deactivated customer", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "Customer b725e02b-0a51-4155-baec-3ca7081e3e91 is deactivated",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/deactivation"}"""),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/deactivation",
                             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""")}))
    @PostMapping("/{customerId}/deactivation")
    @AuditedPersonalData
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
    @Operation(operationId = "eraseCustomer", summary = "Erase a customer's personal data",
            description = """
                    The right to erasure, asked by the customer or by staff for them. The key their personal data is \
                    sealed with is deleted at once, so no copy of it anywhere (events, dead letters, backups) opens \
                    again; the email is free for a new sign-up; each domain then forgets its readable copies. Orders, \
                    payments and shipments stay, showing [erased] where a name or email was. Asking again answers \
                    the same. Another customer's id answers 404.""")
    @ApiResponse(responseCode = "202", description = "Erased; the Location shows each domain confirm",
            headers = @Header(name = "Location", description = "The erasure's progress: /api/customers/{id}/erasure",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such customer, or another customer (answered alike)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "No resource with id b725e02b-0a51-4155-baec-3ca7081e3e91",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/erasure"}""")))
    @PostMapping("/{customerId}/erasure")
    @AuditedPersonalData
    ResponseEntity<Void> erase(@PathVariable UUID customerId) {
        commands.sendAndWait(new EraseCustomerCommand(new CustomerId(customerId)));
        return ResponseEntity.accepted().location(URI.create("/api/customers/" + customerId + "/erasure")).build();
    }
}
