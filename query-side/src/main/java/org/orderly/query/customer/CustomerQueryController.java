package org.orderly.query.customer;

import java.util.List;
import java.util.UUID;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.CustomerPage;
import org.orderly.api.customer.CustomerView;
import org.orderly.api.customer.FindCustomerQuery;
import org.orderly.api.customer.FindCustomersQuery;
import org.orderly.config.web.ETags;
import org.orderly.config.web.MoneyJson;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Customer queries over HTTP, answered from the customer domain's read model. */
@RestController
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

    record CustomerListResponse(List<CustomerResponse> items, String nextCursor) {
    }

    @GetMapping("/{customerId}")
    ResponseEntity<CustomerResponse> get(@PathVariable UUID customerId) {
        CustomerView view = queries.query(new FindCustomerQuery(new CustomerId(customerId)),
                ResponseTypes.instanceOf(CustomerView.class)).join();
        if (view == null) {
            throw Problems.notFound("Customer " + customerId);
        }
        return ETags.ok(view.version()).body(CustomerResponse.of(view));
    }

    @GetMapping
    CustomerListResponse list(@RequestParam(required = false) Integer limit,
                              @RequestParam(required = false) String cursor) {
        CustomerId after = Pagination.decode(cursor, CustomerId::of);
        CustomerPage page = queries.query(new FindCustomersQuery(Pagination.limit(limit), after),
                ResponseTypes.instanceOf(CustomerPage.class)).join();
        return new CustomerListResponse(page.items().stream().map(CustomerResponse::of).toList(),
                Pagination.encode(page.next()));
    }
}
