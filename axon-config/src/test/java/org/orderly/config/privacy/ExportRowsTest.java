package org.orderly.config.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class ExportRowsTest {

    @Test
    void aRowBecomesPlainJsonValuesUnderCamelCaseKeysInColumnOrder() {
        UUID id = UUID.randomUUID();
        Instant at = Instant.parse("2026-03-01T10:15:30.123Z");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("order_id", id);
        row.put("total_amount", new BigDecimal("1000.0000"));
        row.put("unit_price_amount", new BigDecimal("2.5000"));
        row.put("rate", new BigDecimal("0.1234"));
        row.put("total_currency", "EUR");
        row.put("placed_at", Timestamp.from(at));
        row.put("quantity", 3);
        row.put("reason", null);

        Map<String, Object> plain = ExportRows.plain(row);

        assertThat(plain).containsExactly(Map.entry("orderId", id.toString()), Map.entry("totalAmount", "1000.00"),
                Map.entry("unitPriceAmount", "2.50"), Map.entry("rate", "0.1234"), Map.entry("totalCurrency", "EUR"),
                Map.entry("placedAt", "2026-03-01T10:15:30.123Z"), Map.entry("quantity", 3),
                new java.util.AbstractMap.SimpleEntry<>("reason", null));
    }

    @Test
    void paddedFixedLengthTextLosesOnlyItsTrailingBlanks() {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("CURRENCY", "EU ");
        row.put("name", "  Ada ");

        assertThat(ExportRows.plain(row)).containsExactly(Map.entry("currency", "EU"), Map.entry("name", "  Ada"));
    }
}
