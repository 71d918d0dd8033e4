package org.orderly.config.privacy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.axonframework.queryhandling.QueryHandler;
import org.orderly.api.common.Actor;
import org.orderly.api.customer.CustomerDataPart;
import org.orderly.api.customer.ExportCustomerDataQuery;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The keys domain's part of a data export: whether the customer's data key exists (never the key itself, which
 * would open every sealed copy of their data wherever it lies) and since when, or when they were erased.
 */
final class KeysDataExport {

    private final JdbcTemplate jdbc;

    KeysDataExport(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @QueryHandler
    CustomerDataPart handle(ExportCustomerDataQuery query, Actor actor) {
        String subject = query.customerId().toString();
        if (!actor.mayAccess(query.customerId().value())) {
            return CustomerDataPart.empty(PrivacyAutoConfiguration.DOMAIN);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> key = ExportRows.one(jdbc,
                "SELECT created_at FROM subject_key WHERE subject_id = ?", subject);
        if (key != null) {
            data.put("dataKey", "present");
            data.put("dataKeyCreatedAt", key.get("createdAt"));
        }
        Map<String, Object> erased = ExportRows.one(jdbc,
                "SELECT erased_at FROM erased_subject WHERE subject_id = ?", subject);
        if (erased != null) {
            data.put("dataKey", "erased");
            data.put("erasedAt", erased.get("erasedAt"));
        }
        return new CustomerDataPart(PrivacyAutoConfiguration.DOMAIN, data);
    }
}
