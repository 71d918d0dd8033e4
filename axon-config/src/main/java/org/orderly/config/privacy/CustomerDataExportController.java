package org.orderly.config.privacy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerDataPart;
import org.orderly.api.customer.CustomerId;
import org.orderly.api.customer.ExportCustomerDataQuery;
import org.orderly.config.domainstore.DomainStore;
import org.orderly.config.domainstore.DomainStores;
import org.orderly.config.security.Actors;
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.Problems;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's data export (right of access and portability): one JSON document of everything Orderly holds
 * about them. No domain reads another's schema, so the export asks them all at once, by scatter-gather over the
 * query bus ({@link ExportCustomerDataQuery}), and each domain answers its own part wherever it runs. The export
 * is complete or it is not given: a domain that does not answer within {@code orderly.privacy.export.timeout}
 * makes it a 503 naming the domain, never a document that looks whole without that domain's part. (A local query
 * bus asks its handlers one after another, so there a hanging domain also keeps the domains after it from
 * answering in time, and the 503 names them too: each of them did not answer.)
 */
@RestController
@Tag(name = "Customers")
class CustomerDataExportController implements DisposableBean {

    /** What an export waits for when the domain has not answered, before the client retries. */
    static final String RETRY_AFTER = "5";
    /** How many exports gather their parts at once. */
    static final int GATHERERS = 2;

    @Schema(description = "One domain's contribution: everything that domain holds about the customer")
    record Part(
            @Schema(description = "The contributing domain", example = "orders") String domain,
            @Schema(description = """
                    The domain's rows about the customer, as JSON (camelCase keys, ids as text, ISO-8601 times, \
                    amounts as decimal text); empty when the domain holds nothing about them. Personal values of an \
                    erased customer read as "[erased]" or null.""", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            Map<String, Object> data) {
    }

    @Schema(description = "Everything Orderly holds about one customer, one part per domain")
    record CustomerDataExport(
            @Schema(description = "The customer the export is about") String customerId,
            @Schema(description = "When the parts were gathered") Instant producedAt,
            @Schema(description = "The domains that answered, which are every domain holding data about customers")
            List<String> domains,
            @Schema(description = "Each domain's part, in the order of domains") List<Part> parts) {
    }

    private final QueryGateway queries;
    private final DomainStores stores;
    private final ExportProperties properties;
    /**
     * The threads that collect the parts: a few, so that exports stuck on a hanging domain cannot take more (a
     * later export waits in line and, past its timeout, names the domains it got no answer from).
     */
    private final ExecutorService gatherers = Executors.newFixedThreadPool(GATHERERS, runnable -> {
        Thread thread = new Thread(runnable, "customer-export");
        thread.setDaemon(true);
        return thread;
    });

    CustomerDataExportController(QueryGateway queries, DomainStores stores, ExportProperties properties) {
        this.queries = queries;
        this.stores = stores;
        this.properties = properties;
    }

    @Operation(operationId = "exportCustomerData", summary = "Export everything held about a customer",
            description = """
                    One JSON document, as a file, of every piece of data Orderly holds about the customer across all \
                    domains: their record, login account (a password hash is never exported: it says a password is \
                    set), orders with lines and status history, payments, shipments, returns, the workflows of their \
                    orders and returns, notifications and whether their data key exists. Each domain contributes its own part; the document says when it \
                    was produced and which domains answered. An erased customer's export shows the erasure \
                    placeholders. A customer exports their own data; staff export any customer's. Another customer's \
                    id answers 404, as one that does not exist; so does an id no domain knows.""")
    @ApiResponse(responseCode = "200", description = "The export, as an attachment never to be cached",
            headers = {
                    @Header(name = "Content-Disposition", description = "attachment; filename=\"customer-<id>.json\"",
                            schema = @Schema(type = "string")),
                    @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = "string"))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CustomerDataExport.class), examples = @ExampleObject(value = """
                            {"customerId": "b725e02b-0a51-4155-baec-3ca7081e3e91",
                             "producedAt": "2026-03-01T10:15:30Z",
                             "domains": ["customer", "identity", "orders", "payment", "shipping", "returns", "workflows",
                                         "notification", "keys"],
                             "parts": [
                               {"domain": "customer", "data": {"customer": {"customerId": "b725e02b-0a51-4155-baec-3ca7081e3e91",
                                 "email": "ada@example.com", "name": "Ada Lovelace", "status": "ACTIVE",
                                 "creditLimitAmount": "5000.00", "creditLimitCurrency": "EUR", "version": 1,
                                 "updatedAt": "2026-02-01T09:00:00Z"}}},
                               {"domain": "identity", "data": {"account": {"login": "ada@example.com", "roles": "CUSTOMER",
                                 "enabled": true, "password": "a password is set"}}},
                               {"domain": "orders", "data": {"orders": [{"orderId": "8d5e3c1a-4b2f-4e6d-9a7c-0f1e2d3c4b5a",
                                 "status": "CONFIRMED", "totalAmount": "25.00", "totalCurrency": "EUR",
                                 "lines": [], "statusHistory": []}]}},
                               {"domain": "payment", "data": {}},
                               {"domain": "shipping", "data": {}},
                               {"domain": "returns", "data": {}},
                               {"domain": "workflows", "data": {}},
                               {"domain": "notification", "data": {"notifications": [{"type": "CUSTOMER_WELCOME",
                                 "recipient": "ada@example.com", "status": "SENT", "sentAt": "2026-02-01T09:00:01Z"}]}},
                               {"domain": "keys", "data": {"dataKey": "present", "dataKeyCreatedAt": "2026-02-01T09:00:00Z"}}]}""")))
    @ApiResponse(responseCode = "404", description = "Another customer, or a customer no domain knows",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(name = "unknown", value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Customer b725e02b-0a51-4155-baec-3ca7081e3e91 does not exist",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/export"}""")))
    @ApiResponse(responseCode = "503", description = """
            A domain did not answer within orderly.privacy.export.timeout: no partial export is given; the detail names \
            the domains that did not answer. Retry after Retry-After seconds""",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying",
                    schema = @Schema(type = "integer")),
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(name = "incomplete",
                    summary = "A domain that did not answer", value = """
                        {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                         "detail": "The export is incomplete: no answer from domain(s) shipping; retry shortly",
                         "instance": "/api/customers/b725e02b-0a51-4155-baec-3ca7081e3e91/export"}""")))
    @GetMapping("/api/customers/{customerId}/export")
    @org.orderly.config.audit.AuditedPersonalData(operation = "export")
    ResponseEntity<CustomerDataExport> export(@PathVariable UUID customerId) {
        Actor actor = Actors.current();
        if (actor == null || !actor.mayAccess(customerId)) {
            throw Problems.notFound("Customer " + customerId);
        }
        Instant producedAt = Instant.now();
        Map<String, CustomerDataPart> answered = gather(customerId);
        List<String> missing = expectedDomains().stream().filter(domain -> !answered.containsKey(domain)).toList();
        if (!missing.isEmpty()) {
            throw incomplete(missing);
        }
        if (answered.values().stream().allMatch(CustomerDataPart::isEmpty)) {
            throw Problems.notFound("Customer " + customerId);
        }
        List<Part> ordered = new ArrayList<>();
        ExportCustomerDataQuery.DOMAINS.stream().filter(answered::containsKey)
                .forEach(domain -> ordered.add(new Part(domain, answered.remove(domain).data())));
        // a part from a domain not (yet) listed is still data held about the customer
        answered.values().forEach(part -> ordered.add(new Part(part.domain(), part.data())));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("customer-" + customerId + ".json").build().toString())
                .cacheControl(CacheControl.noStore())
                .contentType(MediaType.APPLICATION_JSON)
                .body(new CustomerDataExport(customerId.toString(), producedAt,
                        ordered.stream().map(Part::domain).toList(), ordered));
    }

    /**
     * Every part that arrives within the timeout. The query is dispatched here, on the request's thread (which
     * names the asker in its metadata); the parts are collected on a gathering thread, because a local query bus
     * runs each handler only as its answer is read, one after another: waiting for them here, a domain whose store
     * hangs would hold the request for as long as it hangs. A part that comes later is dropped.
     */
    private Map<String, CustomerDataPart> gather(UUID customerId) {
        long timeout = properties.timeout().toMillis();
        Map<String, CustomerDataPart> answered = new ConcurrentHashMap<>();
        Stream<CustomerDataPart> parts = queries.scatterGather(new ExportCustomerDataQuery(new CustomerId(customerId)),
                ResponseTypes.instanceOf(CustomerDataPart.class), timeout, TimeUnit.MILLISECONDS);
        Future<?> gathering = gatherers.submit(() -> {
            try (parts) {
                // With several nodes running a domain each answers: any one of its parts is the domain's.
                parts.filter(part -> part != null && part.domain() != null)
                        .forEach(part -> answered.putIfAbsent(part.domain(), part));
            }
        });
        try {
            gathering.get(timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            // the domains that answered so far are what the export has; the rest are named as missing
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException failed) {
            // a part that failed is a domain that did not answer; the others stay
        }
        return new LinkedHashMap<>(answered);
    }

    @Override
    public void destroy() {
        gatherers.shutdownNow();
    }

    /**
     * The domains that must answer: every domain that holds data about customers and runs in this deployment (the
     * identity domain only with the embedded issuer). Every node declares every domain store, so the local
     * declarations say which domains exist, wherever their handlers answer from.
     */
    private List<String> expectedDomains() {
        Set<String> declared = stores.all().stream().map(DomainStore::name).collect(Collectors.toSet());
        return ExportCustomerDataQuery.DOMAINS.stream().filter(declared::contains).toList();
    }

    private static ErrorResponseException incomplete(List<String> missing) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The export is incomplete: no answer from domain(s) " + String.join(", ", missing) + "; retry shortly");
        // the shared problem schema has no place for a list, so the detail names them
        ErrorResponseException unavailable = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        unavailable.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER);
        return unavailable;
    }
}
