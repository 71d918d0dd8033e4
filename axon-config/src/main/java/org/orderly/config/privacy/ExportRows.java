package org.orderly.config.privacy;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import java.util.function.Supplier;

import org.orderly.config.domainstore.DomainStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rows of a domain's own store as the plain JSON values a customer data export part is made of
 * ({@code org.orderly.api.customer.ExportCustomerDataQuery}): camelCase keys, ids as text, times as ISO-8601
 * instants, amounts as decimal text, so every domain's part reads alike and travels through any query bus.
 */
public final class ExportRows {

    private ExportRows() {
    }

    /**
     * Runs {@code read} in one read-only, repeatable-read transaction of the store: the rows of a part (an order
     * and its lines) are seen as of one moment, whatever the store's projections write meanwhile.
     */
    public static <T> T inOneSnapshot(DomainStore store, Supplier<T> read) {
        TransactionTemplate transaction = store.transactions();
        transaction.setReadOnly(true);
        transaction.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        return transaction.execute(status -> read.get());
    }

    /** Every row the query finds, each as a map in the query's column order. */
    public static List<Map<String, Object>> all(JdbcTemplate jdbc, String sql, Object... args) {
        return jdbc.queryForList(sql, args).stream().map(ExportRows::plain).toList();
    }

    /** The one row the query finds, or {@code null}. */
    public static Map<String, Object> one(JdbcTemplate jdbc, String sql, Object... args) {
        List<Map<String, Object>> rows = all(jdbc, sql, args);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A row with plain JSON values and camelCase keys. */
    public static Map<String, Object> plain(Map<String, Object> row) {
        Map<String, Object> plain = new LinkedHashMap<>();
        row.forEach((column, value) -> plain.put(camelCase(column), value(value)));
        return plain;
    }

    private static Object value(Object value) {
        if (value instanceof UUID || value instanceof Character) {
            return value.toString();
        }
        if (value instanceof String text) {
            return text.stripTrailing(); // CHAR(3) currencies come padded
        }
        if (value instanceof Timestamp time) {
            return time.toInstant().toString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        }
        if (value instanceof BigDecimal amount) {
            return amount.stripTrailingZeros().scale() < 2 ? amount.setScale(2, java.math.RoundingMode.UNNECESSARY)
                    .toPlainString() : amount.stripTrailingZeros().toPlainString();
        }
        return value;
    }

    static String camelCase(String column) {
        StringBuilder name = new StringBuilder(column.length());
        boolean upper = false;
        for (char c : column.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
