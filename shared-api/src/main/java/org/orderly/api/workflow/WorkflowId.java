package org.orderly.api.workflow;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * Identity of one run of a saga. Derived from the saga's type and business id, so that anyone who knows
 * the order (or return) can name its workflow. {@link #toString()} is the raw UUID.
 */
public record WorkflowId(UUID value) {

    public WorkflowId {
        Objects.requireNonNull(value, "value");
    }

    public static WorkflowId of(String value) {
        return new WorkflowId(UUID.fromString(value));
    }

    public static WorkflowId forBusiness(String type, String businessId) {
        return new WorkflowId(UUID.nameUUIDFromBytes((type + ":" + businessId).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
