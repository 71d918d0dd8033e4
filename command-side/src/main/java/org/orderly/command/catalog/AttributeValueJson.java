package org.orderly.command.catalog;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

/**
 * An attribute's value as the text it was sent as: a string through the strict text rules (no control characters),
 * a JSON number as its literal digits (never through a float, so {@code 0.1} stays {@code 0.1}), a boolean as
 * {@code true} or {@code false}. Whether the text fits the attribute's type is decided by {@link CatalogRules}.
 */
class AttributeValueJson extends StdScalarDeserializer<String> {

    AttributeValueJson() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT
                || token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return p.getText();
        }
        if (token == JsonToken.VALUE_STRING) {
            // the request mapper's own text reader, which refuses control characters naming the field
            return (String) ctxt.findRootValueDeserializer(ctxt.constructType(String.class)).deserialize(p, ctxt);
        }
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
}
