package org.orderly.api.customer;

import java.util.List;

/**
 * Everything Orderly holds about one customer, asked of every domain at once (scatter-gather): the right of
 * access and portability. No domain reads another's schema, so no one place could answer it; each domain that
 * holds data about customers contributes its own part.
 * <p>
 * The contribution contract, for every domain named in {@link #DOMAINS}:
 * <ul>
 *   <li>It has exactly one {@code @QueryHandler} for this query, answering a {@link CustomerDataPart} whose
 *       {@code domain} is its own name from {@link #DOMAINS}. It answers on every node that runs the domain, so
 *       the asker keeps one part per domain, whichever node sent it.</li>
 *   <li>The part holds every row of the domain's own store about the customer (the customer's own rows, and rows
 *       about their orders through the domain's own copy of who placed them), personal or not, as stored: an
 *       erased customer's rows show the erasure placeholder, never an error. Secrets are not exported but said to
 *       exist (a password hash is "a password is set"; a data key is "present").</li>
 *   <li>A domain holding nothing about the customer still answers, with empty data: silence means the domain did
 *       not answer, and the export is then refused as incomplete rather than given without it.</li>
 *   <li>Data is plain JSON values (text, numbers, booleans, lists, maps with camelCase keys): ids as text, times
 *       as ISO-8601 instants, amounts as decimal text, so the part travels through any query bus unchanged.</li>
 *   <li>An asker who may not see the customer (the query's {@code Actor}) gets an empty part, as for a customer
 *       who does not exist.</li>
 * </ul>
 * A domain that starts keeping data about customers adds its name here and its handler beside its store.
 */
public record ExportCustomerDataQuery(CustomerId customerId) {

    /**
     * The domains that hold data about customers and must each contribute a part, in the order the export lists
     * them. The identity domain answers only where the embedded issuer runs (with an external one, Orderly keeps
     * no logins), so it is expected only there. The others hold nothing about a customer: catalog and inventory
     * know products only. The sagas' own state (the command side's {@code sagas} store) is published, change by
     * change, as the workflows, whose part shows it.
     */
    public static final List<String> DOMAINS = List.of("customer", "identity", "orders", "payment", "shipping",
            "returns", "cart", "workflows", "notification", "keys");
}
