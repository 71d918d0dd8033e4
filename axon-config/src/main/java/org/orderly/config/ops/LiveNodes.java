package org.orderly.config.ops;

import java.util.List;

/**
 * The nodes known to be alive, whether or not they claim a segment: what the dashboard's cluster table lists
 * besides the claim owners it reads from the token tables. Without a node registry only the answering node
 * itself is known; a registry that knows every node's heartbeat provides a bean of this type instead.
 */
@FunctionalInterface
public interface LiveNodes {

    /** The ids of the nodes alive now, as {@code orderly.node-id} names them. */
    List<String> ids();
}
