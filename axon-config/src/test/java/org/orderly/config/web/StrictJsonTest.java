package org.orderly.config.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    private final ObjectMapper json = StrictJson.forRequests(new ObjectMapper());

    record Line(String sku, Integer quantity, @FreeText String reason) {
    }

    record Order(String name, List<Line> lines, MoneyJson total) {
    }

    @Test
    void aControlCharacterInTextIsRefusedNamingItsPath() {
        assertThatThrownBy(() -> json.readValue("{\"name\": \"a\\u0000b\"}", Order.class))
                .isInstanceOfSatisfying(StrictJson.RefusedValueException.class, e -> {
                    assertThat(path(e)).isEqualTo("name");
                    assertThat(e.reason()).contains("U+0000");
                });
        assertThatThrownBy(() -> json.readValue("{\"lines\": [{\"sku\": \"A\\u007f\"}]}", Order.class))
                .isInstanceOfSatisfying(StrictJson.RefusedValueException.class,
                        e -> assertThat(path(e)).isEqualTo("lines[0].sku"));
    }

    @Test
    void freeTextMayHoldTabsAndLineBreaksButNoOtherControlCharacter() throws Exception {
        Order order = json.readValue("{\"lines\": [{\"reason\": \"broken\\r\\n\\tlid\"}]}", Order.class);
        assertThat(order.lines().get(0).reason()).isEqualTo("broken\r\n\tlid");

        assertThatThrownBy(() -> json.readValue("{\"lines\": [{\"reason\": \"a\\u0000\"}]}", Order.class))
                .isInstanceOfSatisfying(StrictJson.RefusedValueException.class,
                        e -> assertThat(path(e)).isEqualTo("lines[0].reason"));
        assertThatThrownBy(() -> json.readValue("{\"lines\": [{\"sku\": \"a\\nb\"}]}", Order.class))
                .isInstanceOf(StrictJson.RefusedValueException.class);
    }

    @Test
    void aMoneyAmountIsAStringOrANumberOfBoundedSize() throws Exception {
        assertThat(json.readValue("{\"total\": {\"amount\": \"12.50\", \"currency\": \"EUR\"}}", Order.class)
                .total().amount()).isEqualByComparingTo(new BigDecimal("12.50"));
        assertThat(json.readValue("{\"total\": {\"amount\": 12.5, \"currency\": \"EUR\"}}", Order.class)
                .total().amount()).isEqualByComparingTo(new BigDecimal("12.50"));

        for (String amount : List.of("\"1e2147483647\"", "1e2147483647", "\"1e-2147483647\"", "\"1234567890123456789\"")) {
            assertThatThrownBy(() -> json.readValue("{\"total\": {\"amount\": " + amount + ", \"currency\": \"EUR\"}}",
                    Order.class)).as(amount)
                    .isInstanceOfSatisfying(StrictJson.RefusedValueException.class,
                            e -> assertThat(path(e)).isEqualTo("total.amount"));
        }
    }

    @Test
    void aStringWhereANumberBelongsIsRefusedNamingTheField() {
        assertThatThrownBy(() -> json.readValue("{\"lines\": [{\"quantity\": \"5\"}]}", Order.class))
                .isInstanceOfSatisfying(MismatchedInputException.class,
                        e -> assertThat(path(e)).isEqualTo("lines[0].quantity"));
    }

    @Test
    void aBodyIsOneDocumentNamingEachFieldOnce() {
        assertThatThrownBy(() -> json.readValue("{\"name\": \"a\"} xyz", Order.class))
                .isInstanceOf(StreamReadException.class);
        assertThatThrownBy(() -> json.readValue("{\"name\": \"a\"} {}", Order.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> json.readValue("{\"name\": \"a\", \"name\": \"b\"}", Order.class))
                .isInstanceOfSatisfying(StreamReadException.class,
                        e -> assertThat(ProblemAdvice.fieldPath(e.getProcessor().getParsingContext())).isEqualTo("name"));
    }

    @Test
    void theApplicationsOwnMapperIsLeftAsItWas() throws Exception {
        ObjectMapper base = new ObjectMapper();
        StrictJson.forRequests(base);

        assertThat(base.readValue("{\"name\": \"a\\u0000\", \"lines\": [{\"quantity\": \"5\"}]}", Order.class).name())
                .isEqualTo("a\u0000");
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) path.append('.');
                path.append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
