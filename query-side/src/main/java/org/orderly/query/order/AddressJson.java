package org.orderly.query.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orderly.api.customer.PostalAddress;

/**
 * An order's address as the read model keeps it: one JSON text column, so the address moves as the one value it
 * is. A failure names the exception's class only: its message could quote the address.
 */
final class AddressJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AddressJson() {
    }

    static String write(PostalAddress address) {
        try {
            return address == null ? null : JSON.writeValueAsString(address);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An address that cannot be written as JSON: " + e.getClass().getSimpleName());
        }
    }

    static PostalAddress read(String json) {
        try {
            return json == null ? null : JSON.readValue(json, PostalAddress.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored address that cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
