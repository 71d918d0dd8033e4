package org.orderly.command.customer;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.Valid;
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
import org.orderly.api.customer.AddCustomerAddressCommand;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.PostalAddress;
import org.orderly.api.customer.RemoveCustomerAddressCommand;
import org.orderly.api.customer.ReplaceCustomerAddressCommand;
import org.orderly.config.audit.AuditedPersonalData;
import org.orderly.config.web.ETags;
import org.orderly.config.web.ProblemJson;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's address book over HTTP: add, replace and remove addresses, and choose the default shipping and
 * billing address. Each call waits for the command to be stored, or refused; the addresses are read back from the
 * read model ({@code GET /api/customers/{customerId}/addresses}).
 * <p>
 * The defaults are flags of an address ({@code defaultShipping}, {@code defaultBilling}) rather than a resource of
 * their own: a client offers them in the address form ("use as my default shipping address"), so the address and
 * its role are one request, one answer and never half done; the address's read shows the same flags. Setting a
 * flag moves that default from whichever address held it. On a replacement an omitted flag leaves the default as
 * it is, so that correcting a typo needs no knowledge of the defaults, and {@code false} clears it if it was this
 * address. Removing a default address clears that default.
 * <p>
 * The address book is part of the customer: If-Match takes the customer's version (the ETag of the customer and of
 * their address book), as on every command on a customer.
 */
@RestController
@Tag(name = "Customers")
@RequestMapping("/api/customers/{customerId}/addresses")
class CustomerAddressCommandController {

    private static final String ADDRESS_EXAMPLE = """
            {"recipientName": "Ada Lovelace", "line1": "12 St James's Square", "line2": "Flat 3",
             "postalCode": "SW1Y 4JH", "city": "London", "country": "GB",
             "phone": "+44 20 7946 0958", "defaultShipping": true, "defaultBilling": false}""";
    private static final String NOT_FOUND_EXAMPLE = """
            {"type": "about:blank", "title": "Not Found", "status": 404,
             "detail": "No resource with id b725e02b-0a51-4155-baec-3ca7081e3e91",
             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/addresses"}""";
    private static final String INVALID_COUNTRY_EXAMPLE = """
            {"type": "about:blank", "title": "Bad Request", "status": 400,
             "detail": "must be an ISO 3166-1 alpha-2 country code",
             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/addresses",
             "errors": [{"field": "country", "reason": "must be an ISO 3166-1 alpha-2 country code"}]}""";
    private static final String DEACTIVATED_EXAMPLE = """
            {"type": "about:blank", "title": "Conflict", "status": 409,
             "detail": "Customer b725e02b-0a51-4155-baec-3ca7081e3e91 is deactivated",
             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/addresses"}""";

    private static final String STALE_EXAMPLE = """
            {"type": "about:blank", "title": "Conflict", "status": 409,
             "detail": "The resource changed since you read it: it is at version 2, you expected 1",
             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/addresses",
             "errors": [{"field": "If-Match", "reason": "The resource changed since you read it: it is at version 2, you expected 1"}]}""";

    private final CommandGateway commands;

    CustomerAddressCommandController(CommandGateway commands) {
        this.commands = commands;
    }

    /**
     * An address as a client sends it; the aggregate strips, normalises and checks it again whoever sends the
     * command ({@link CustomerRules#address}).
     *
     * @param defaultShipping on adding, {@code true} makes it the default shipping address (omitted: no); on
     *                        replacing, {@code true} makes it the default, {@code false} clears the default if it
     *                        was this address, omitted leaves the default as it is
     * @param defaultBilling  the same for the default billing address
     */
    record AddressRequest(
            @NotBlank @Size(max = CustomerRules.MAX_NAME) String recipientName,
            @NotBlank @Size(max = CustomerRules.MAX_ADDRESS_LINE) String line1,
            @Size(max = CustomerRules.MAX_ADDRESS_LINE) String line2,
            @NotBlank @Size(max = CustomerRules.MAX_POSTAL_CODE) String postalCode,
            @NotBlank @Size(max = CustomerRules.MAX_CITY) String city,
            @Size(max = CustomerRules.MAX_REGION) String region,
            @Schema(description = "ISO 3166-1 alpha-2 country code", example = "GB")
            @NotBlank @Size(max = 2) String country,
            @Size(max = CustomerRules.MAX_PHONE) String phone,
            Boolean defaultShipping,
            Boolean defaultBilling) {

        PostalAddress address() {
            return new PostalAddress(recipientName, line1, line2, postalCode, city, region, country, phone);
        }
    }

    record AddressAdded(@Schema(description = "The new address's id", format = "uuid") String addressId) {
    }

    @Operation(operationId = "addCustomerAddress", summary = "Add an address",
            description = """
                    A customer adds an address to their address book (at most 20), optionally as their default \
                    shipping or billing address (taking that default from the address that held it). The country is \
                    an ISO 3166-1 alpha-2 code; region, line2 and phone are optional. If-Match (the customer's ETag, \
                    which their address book also carries) makes the change conditional on the version read. The \
                    address is read back with \
                    the Location, sending this answer's Orderly-Position, since the read model follows \
                    asynchronously. Another customer's id answers 404, as one that does not exist.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = ADDRESS_EXAMPLE)))
    @ApiResponse(responseCode = "201", description = "Added; Location is the address",
            headers = @Header(name = "Location",
                    description = "The address: /api/customers/{customerId}/addresses/{addressId}",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AddressAdded.class), examples = @ExampleObject(value = """
                            {"addressId": "3f9c2d1e-7a4b-4c8d-9e0f-1a2b3c4d5e6f"}""")))
    @ApiResponse(responseCode = "400", description = "A field is missing, too long or invalid (an unknown country code, a "
                + "postal code or phone number that is none)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "unknownCountry", summary = "A country code ISO 3166-1 does not know",
                            value = INVALID_COUNTRY_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such customer, or another customer (answered alike)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The customer keeps 20 addresses already, is deactivated or erased, or "
                + "changed since the If-Match version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "tooManyAddresses", summary = "A 21st address", value = """
                            {"type": "about:blank", "title": "Conflict", "status": 409,
                             "detail": "A customer keeps at most 20 addresses; remove one first",
                             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/addresses"}"""),
                    @ExampleObject(name = "deactivated", summary = "A deactivated customer", value = DEACTIVATED_EXAMPLE),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version",
                            value = STALE_EXAMPLE)}))
    @PostMapping
    @AuditedPersonalData
    ResponseEntity<AddressAdded> add(@PathVariable UUID customerId,
                                     @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                     @Valid @RequestBody AddressRequest request) {
        AddressId addressId = AddressId.newId();
        commands.sendAndWait(new AddCustomerAddressCommand(new CustomerId(customerId), addressId, request.address(),
                Boolean.TRUE.equals(request.defaultShipping()), Boolean.TRUE.equals(request.defaultBilling()),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.created(URI.create("/api/customers/" + customerId + "/addresses/" + addressId))
                .body(new AddressAdded(addressId.toString()));
    }

    @Operation(operationId = "replaceCustomerAddress", summary = "Replace an address",
            description = """
                    A customer replaces one of their addresses with the one sent, under the same id. defaultShipping \
                    and defaultBilling true make it that default, false clear that default if it is this address, \
                    and omitted leave the defaults as they are. Sending what the address already is changes nothing. \
                    If-Match (the customer's ETag) makes the change conditional on the version read. \
                    Another customer's id, or an address the customer does not have, answers 404.""")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            examples = @ExampleObject(value = ADDRESS_EXAMPLE)))
    @ApiResponse(responseCode = "204", description = "Replaced")
    @ApiResponse(responseCode = "400", description = "A field is missing, too long or invalid",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class),
                    examples = @ExampleObject(name = "unknownCountry", summary = "A country code ISO 3166-1 does not know",
                            value = INVALID_COUNTRY_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such customer or address, or another customer (answered alike)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The customer is deactivated or erased, or changed since the If-Match "
                + "version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "deactivated", summary = "A deactivated customer", value = DEACTIVATED_EXAMPLE),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version",
                            value = STALE_EXAMPLE)}))
    @PutMapping("/{addressId}")
    @AuditedPersonalData
    ResponseEntity<Void> replace(@PathVariable UUID customerId, @PathVariable UUID addressId,
                                 @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                 @Valid @RequestBody AddressRequest request) {
        commands.sendAndWait(new ReplaceCustomerAddressCommand(new CustomerId(customerId), new AddressId(addressId),
                request.address(), request.defaultShipping(), request.defaultBilling(), ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }

    @Operation(operationId = "removeCustomerAddress", summary = "Remove an address",
            description = """
                    A customer removes one of their addresses; a default shipping or billing address it was is then \
                    none, until the customer chooses another. If-Match (the customer's ETag) makes the removal \
                    conditional on the version read. Another customer's id, or an address the customer does \
                    not have (or removed already), answers 404.""")
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "404", description = "No such customer or address, or another customer (answered alike)",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "The customer is deactivated or erased, or changed since the If-Match "
                + "version",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = {
                    @ExampleObject(name = "deactivated", summary = "A deactivated customer", value = DEACTIVATED_EXAMPLE),
                    @ExampleObject(name = "staleIfMatch", summary = "If-Match names an older version",
                            value = STALE_EXAMPLE)}))
    @DeleteMapping("/{addressId}")
    @AuditedPersonalData
    ResponseEntity<Void> remove(@PathVariable UUID customerId, @PathVariable UUID addressId,
                                @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        commands.sendAndWait(new RemoveCustomerAddressCommand(new CustomerId(customerId), new AddressId(addressId),
                ETags.expectedVersion(ifMatch)));
        return ResponseEntity.noContent().build();
    }
}
