package org.orderly.config.web;

import java.io.IOException;
import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * How request bodies are read: stricter than the application's {@link ObjectMapper}, which also reads
 * stored events and must keep reading what it once wrote. A body is one JSON document (nothing after it),
 * names each field once, gives numbers as numbers (a money amount may also be a string, as documented on
 * {@link MoneyJson}), keeps every decimal to a bounded size, and holds no control character in any text
 * but {@link FreeText} (where tab, LF and CR pass). Each refusal names the field, as a 400.
 */
public final class StrictJson {

    /** Whole digits a decimal in a body may have: 1e2147483647 is refused before anything computes with it. */
    public static final int MAX_WHOLE_DIGITS = 18;
    /** Decimal places a decimal in a body may have (trailing zeros aside). */
    public static final int MAX_DECIMALS = 18;

    private StrictJson() {
    }

    /** A copy of {@code base} (its modules, naming and dates) that reads request bodies strictly. */
    public static ObjectMapper forRequests(ObjectMapper base) {
        ObjectMapper mapper = base.copy();
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // "quantity": "5" is a client bug worth reporting, not a value to guess at.
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        // "defaultShipping": 1 is as much a guess as "true": a flag is true or false.
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        // Money amounts are documented as "12.50" or 12.50: a string keeps a decimal exact in any client.
        mapper.coercionConfigFor(BigDecimal.class).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper.registerModule(new SimpleModule("orderly-strict-json")
                .addDeserializer(String.class, new TextDeserializer(false))
                .addDeserializer(BigDecimal.class, new BoundedDecimalDeserializer()));
        return mapper;
    }

    /** A value refused for what it holds, with the reason the client is told (the field comes from the path). */
    public static final class RefusedValueException extends MismatchedInputException {
        private final String reason;

        RefusedValueException(JsonParser parser, Class<?> type, String reason) {
            super(parser, reason, type);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** Text without control characters; {@link FreeText} fields may hold tab, LF and CR. */
    static final class TextDeserializer extends StdScalarDeserializer<String> implements ContextualDeserializer {
        private final boolean freeText;

        TextDeserializer(boolean freeText) {
            super(String.class);
            this.freeText = freeText;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            boolean free = property != null && property.getAnnotation(FreeText.class) != null;
            return free == freeText ? this : new TextDeserializer(free);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != null && p.currentToken().isScalarValue()
                    && p.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                // a number or a boolean where text belongs is a client's mistake, not text to guess from
                throw new RefusedValueException(p, String.class, "must be a string");
            }
            String text = StringDeserializer.instance.deserialize(p, ctxt);
            if (text != null && ControlCharacters.in(text, freeText)) {
                throw new RefusedValueException(p, String.class, ControlCharacters.reason(text, freeText));
            }
            return text;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }
    }

    /** A decimal of bounded size: {@code 1e2147483647} would cost gigabytes (or overflow) once rescaled or printed. */
    static final class BoundedDecimalDeserializer extends NumberDeserializers.BigDecimalDeserializer {
        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            BigDecimal value = super.deserialize(p, ctxt);
            if (value == null) {
                return null;
            }
            // long arithmetic: precision - scale overflows an int for exponents near Integer.MAX_VALUE
            if ((long) value.precision() - value.scale() > MAX_WHOLE_DIGITS) {
                throw new RefusedValueException(p, BigDecimal.class,
                        "must have at most " + MAX_WHOLE_DIGITS + " whole digits");
            }
            if (value.scale() > MAX_DECIMALS && value.stripTrailingZeros().scale() > MAX_DECIMALS) {
                throw new RefusedValueException(p, BigDecimal.class,
                        "must have at most " + MAX_DECIMALS + " decimal places");
            }
            return value;
        }
    }
}
