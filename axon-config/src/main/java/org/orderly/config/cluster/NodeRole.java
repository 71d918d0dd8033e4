package org.orderly.config.cluster;

/** What a node runs: commands and their sagas, projections and queries, or both. */
public enum NodeRole {
    ALL_IN_ONE("all-in-one"),
    COMMAND_SIDE("command-side"),
    QUERY_SIDE("query-side");

    private final String label;

    NodeRole(String label) {
        this.label = label;
    }

    /** How the registry stores and shows it. */
    public String label() {
        return label;
    }

    static NodeRole of(String label) {
        for (NodeRole role : values()) {
            if (role.label.equals(label)) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown node role " + label);
    }

    /** The role a node's processors imply: projections and sagas, projections alone, or neither. */
    static NodeRole implied(boolean projections, boolean sagas) {
        if (projections && sagas) {
            return ALL_IN_ONE;
        }
        return projections ? QUERY_SIDE : COMMAND_SIDE;
    }
}
