package org.orderly.query.customer;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.customer.AddressId;
import org.orderly.api.customer.CustomerAddressBook;
import org.orderly.api.customer.CustomerAddressView;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.FindCustomerAddressQuery;
import org.orderly.api.customer.FindCustomerAddressesQuery;
import org.orderly.api.customer.PostalAddress;
import org.orderly.config.audit.AuditedPersonalData;
import org.orderly.config.web.ETags;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.orderly.config.web.ReadsFrom;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A customer's address book over HTTP, answered from the customer domain's read model. */
@RestController
@Tag(name = "Customers")
@ReadsFrom(CustomerProjection.PROCESSING_GROUP)
@RequestMapping("/api/customers/{customerId}/addresses")
class CustomerAddressQueryController {

    private static final String NOT_FOUND_EXAMPLE = """
            {"type": "about:blank", "title": "Not Found", "status": 404,
             "detail": "Customer b725e02b-0a51-4155-baec-3ca7081e3e91 does not exist",
             "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/addresses"}""";
    private static final String ADDRESS_EXAMPLE = """
            {"addressId": "3f9c2d1e-7a4b-4c8d-9e0f-1a2b3c4d5e6f", "recipientName": "Ada Lovelace",
             "line1": "12 St James's Square", "line2": "Flat 3", "postalCode": "SW1Y 4JH", "city": "London",
             "region": null, "country": "GB", "phone": "+44 20 7946 0958",
             "defaultShipping": true, "defaultBilling": false}""";

    private final QueryGateway queries;

    CustomerAddressQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record AddressResponse(String addressId, String recipientName, String line1,
                           @Schema(types = {"string", "null"}) String line2, String postalCode, String city,
                           @Schema(types = {"string", "null"}) String region,
                           @Schema(description = "ISO 3166-1 alpha-2 country code") String country,
                           @Schema(types = {"string", "null"}) String phone,
                           boolean defaultShipping, boolean defaultBilling) {
        static AddressResponse of(CustomerAddressView view) {
            PostalAddress a = view.address();
            return new AddressResponse(view.addressId().toString(), a.recipientName(), a.line1(), a.line2(),
                    a.postalCode(), a.city(), a.region(), a.country(), a.phone(), view.defaultShipping(),
                    view.defaultBilling());
        }
    }

    record AddressBookResponse(String customerId, List<AddressResponse> items,
            @Schema(types = {"string", "null"}, description = "The default shipping address; null for none")
            String defaultShippingAddressId,
            @Schema(types = {"string", "null"}, description = "The default billing address; null for none")
            String defaultBillingAddressId) {
    }

    @Operation(operationId = "listCustomerAddresses", summary = "List a customer's addresses",
            description = """
                    A customer reads their own address book; staff read any. Every address (at most 20) in the order \
                    they were added, with the default shipping and billing address. Answered from the read model, \
                    which follows the commands asynchronously: right after a change, send the Orderly-Position its \
                    answer carried. Another customer's id answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "200", description = "The address book",
            headers = @Header(name = "ETag", description = "The customer's version", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AddressBookResponse.class), examples = @ExampleObject(value = """
                            {"customerId": "b725e02b-0a51-4155-baec-3ca7081e3e91", "items": [""" + ADDRESS_EXAMPLE + """
                            ], "defaultShippingAddressId": "3f9c2d1e-7a4b-4c8d-9e0f-1a2b3c4d5e6f",
                             "defaultBillingAddressId": null}""")))
    @ApiResponse(responseCode = "404", description = "No such customer (yet, without Orderly-Position), or another customer",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = NOT_FOUND_EXAMPLE)))
    @GetMapping
    @AuditedPersonalData
    ResponseEntity<AddressBookResponse> list(@PathVariable UUID customerId) {
        CustomerAddressBook book = queries.query(new FindCustomerAddressesQuery(new CustomerId(customerId)),
                ResponseTypes.instanceOf(CustomerAddressBook.class)).join();
        if (book == null) {
            throw Problems.notFound("Customer " + customerId);
        }
        return ETags.ok(book.version()).body(new AddressBookResponse(customerId.toString(),
                book.addresses().stream().map(AddressResponse::of).toList(),
                book.defaultShipping() == null ? null : book.defaultShipping().toString(),
                book.defaultBilling() == null ? null : book.defaultBilling().toString()));
    }

    @Operation(operationId = "getCustomerAddress", summary = "Read one of a customer's addresses",
            description = """
                    A customer reads one of their addresses; staff read any customer's. Answered from the read \
                    model: right after adding or replacing it, send the Orderly-Position that answer carried. \
                    Another customer's id, or an address the customer does not have, answers 404.""")
    @ApiResponse(responseCode = "200", description = "The address",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = AddressResponse.class),
                    examples = @ExampleObject(value = ADDRESS_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "No such address or customer, or another customer",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Address 3f9c2d1e-7a4b-4c8d-9e0f-1a2b3c4d5e6f does not exist",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/addresses/3f9c2d1e-7a4b-4c8d-9e0f-1a2b3c4d5e6f"}""")))
    @GetMapping("/{addressId}")
    @AuditedPersonalData
    AddressResponse get(@PathVariable UUID customerId, @PathVariable UUID addressId) {
        CustomerAddressView view = queries.query(new FindCustomerAddressQuery(new CustomerId(customerId),
                new AddressId(addressId)), ResponseTypes.instanceOf(CustomerAddressView.class)).join();
        if (view == null) {
            throw Problems.notFound("Address " + addressId);
        }
        return AddressResponse.of(view);
    }
}
