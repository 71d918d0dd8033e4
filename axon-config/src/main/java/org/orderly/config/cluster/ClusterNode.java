package org.orderly.config.cluster;

import java.time.Instant;
import java.util.List;

/**
 * A node as the registry last heard of it.
 *
 * @param nodeId        how the node signs its token claims ({@code orderly.node-id})
 * @param role          what it runs
 * @param processors    the event processors running on it at its last heartbeat
 * @param startedAt     when it joined the cluster
 * @param lastHeartbeat its last heartbeat, in the database's time
 */
public record ClusterNode(String nodeId, NodeRole role, List<String> processors, Instant startedAt,
                          Instant lastHeartbeat) {

    public ClusterNode {
        processors = List.copyOf(processors);
    }

    /** Whether it runs the processor (and so takes a share of its segments). */
    public boolean runs(String processor) {
        return processors.contains(processor);
    }
}
