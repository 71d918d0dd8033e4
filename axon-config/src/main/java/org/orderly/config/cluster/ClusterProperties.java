package org.orderly.config.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code orderly.cluster.*}: how the nodes on one database see each other ({@link ClusterNodes}).
 *
 * @param heartbeatInterval how often a node writes its heartbeat to {@code ops.cluster_node} and looks at the other
 *                          nodes (their number decides each processor's fair share of segments)
 * @param liveness          a node is live while its last heartbeat is younger than this; a node killed without
 *                          stopping counts for this long after its last heartbeat. Must stay below
 *                          {@code orderly.processors.claim-timeout}: a survivor takes a dead node's segments only once
 *                          the dead node no longer counts in the fair share
 * @param role              what this node runs, as the registry and the dashboard show it: {@code all-in-one},
 *                          {@code command-side} or {@code query-side}; unset, it follows from the processors this
 *                          node registered (projections and sagas: all-in-one; projections only: query-side;
 *                          otherwise command-side)
 */
@ConfigurationProperties("orderly.cluster")
public record ClusterProperties(@DefaultValue("2s") Duration heartbeatInterval,
                                @DefaultValue("6s") Duration liveness,
                                NodeRole role) {

    public ClusterProperties {
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("orderly.cluster.heartbeat-interval must be positive");
        }
        if (liveness == null || liveness.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("orderly.cluster.liveness must be at least twice the heartbeat "
                    + "interval, or a node would count as dead between two heartbeats");
        }
    }
}
