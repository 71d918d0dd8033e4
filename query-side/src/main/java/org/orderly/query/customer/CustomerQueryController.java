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
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerPage;
import org.orderly.api.customer.CustomerView;
import org.orderly.api.customer.FindCustomerQuery;
import org.orderly.api.customer.FindCustomersQuery;
import org.orderly.config.audit.AuditedPersonalData;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.ReadsFrom;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Customer queries over HTTP, answered from the customer domain's read model. */
@RestController
@Tag(name = "Customers")
@ReadsFrom(CustomerProjection.PROCESSING_GROUP)
@RequestMapping("/api/customers")
class CustomerQueryController {

    private final QueryGateway queries;

    CustomerQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record CustomerResponse(String customerId, String email, String name, String status, MoneyJson creditLimit,
                            long version) {
        static CustomerResponse of(CustomerView view) {
            return new CustomerResponse(view.customerId().toString(), view.email(), view.name(),
                    view.status().name(), MoneyJson.of(view.creditLimit()), view.version());
        }
    }

    record CustomerListResponse(List<CustomerResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "getCustomer", summary = "Read a customer",
            description = """
                    A customer reads their own record; staff read any. Answered from the read model, which \
                    follows the commands asynchronously: right after a change (a sign-up, a new email), send the \
                    Orderly-Position its answer carried and the read waits for the change to show. \
                    Another customer's id answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "200", description = "The customer",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CustomerResponse.class), examples = @ExampleObject(value = """
                            {"customerId": "b725e02b-0a51-4155-baec-3ca7081e3e91", "email": "ada@example.com",
                             "name": "Ada Lovelace", "status": "ACTIVE",
                             "creditLimit": {"amount": "5000.00", "currency": "EUR"}, "version": 0}""")))
    @ApiResponse(responseCode = "404", description = "No such customer (yet, without Orderly-Position), or another customer",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Customer b725e02b-0a51-4155-baec-3ca7081e3e91 does not exist",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91"}""")))
    @GetMapping("/{customerId}")
    @AuditedPersonalData
    ResponseEntity<CustomerResponse> get(@PathVariable UUID customerId) {
        CustomerView view = queries.query(new FindCustomerQuery(new CustomerId(customerId)),
                ResponseTypes.instanceOf(CustomerView.class)).join();
        if (view == null) {
            throw Problems.notFound("Customer " + customerId);
        }
        return ETags.ok(view.version()).body(CustomerResponse.of(view));
    }

    @Operation(operationId = "listCustomers", summary = "List customers",
            description = """
                    Staff see every customer; a customer sees only themselves. In id order, by cursor.
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @GetMapping
    @AuditedPersonalData
    CustomerListResponse list(@RequestParam(required = false) Integer limit,
                              @RequestParam(required = false) String cursor) {
        CustomerId after = Pagination.decode(cursor, CustomerId::of);
        CustomerPage page = queries.query(new FindCustomersQuery(Pagination.limit(limit), after),
                ResponseTypes.instanceOf(CustomerPage.class)).join();
        return new CustomerListResponse(page.items().stream().map(CustomerResponse::of).toList(),
                Pagination.encode(page.next()));
    }
}
