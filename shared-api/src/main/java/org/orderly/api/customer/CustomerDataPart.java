package org.orderly.api.customer;

import java.util.Map;

/**
 * One domain's contribution to a customer's data export ({@link ExportCustomerDataQuery}).
 *
 * @param domain the contributing domain, as named in {@link ExportCustomerDataQuery#DOMAINS}
 * @param data   everything the domain holds about the customer, as plain JSON values; empty when it holds nothing
 */
public record CustomerDataPart(String domain, Map<String, Object> data) {

    public CustomerDataPart {
        data = data == null ? Map.of() : data;
    }

    /** The part of a domain that holds nothing about the customer (or may not show it to the asker). */
    public static CustomerDataPart empty(String domain) {
        return new CustomerDataPart(domain, Map.of());
    }

    public boolean isEmpty() {
        return data.isEmpty();
    }
}
