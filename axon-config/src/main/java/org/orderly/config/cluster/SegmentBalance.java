package org.orderly.config.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.axonframework.eventhandling.pooled.MaxSegmentProvider;
import org.orderly.config.domainstore.DomainStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads each processor's segments over the live nodes that run it, with Axon's own levers: this is the
 * {@link MaxSegmentProvider} of every projection and saga processor, and it answers each node's fair share.
 * <p>
 * The shares add up to the segments exactly: with {@code n} live nodes running the processor, each gets
 * {@code segments / n} and {@code segments % n} of them one more (the ceiling, {@code ceil(segments / n)}). Which
 * nodes get the one more is decided the same way on every node: the nodes in the order of their ids, rotated by the
 * processor's name. So two nodes split a two-segment projection one each and a four-segment saga processor two
 * each, and with one-segment projections half the projections go to each node instead of all to the first node
 * that started (a share of {@code ceil(1 / 2) = 1} on both would leave them all where they are).
 * <p>
 * Axon 4's pooled streaming processor does the rest itself, every {@code tokenClaimInterval}: it claims unclaimed
 * segments only up to that number, and a node holding more than its share releases the surplus (for one claim
 * interval, in which the other nodes, whose shares have room, claim them; the releasing node will not take them
 * back, its share being full). So a node that joins gets work within a heartbeat and a claim interval, and a node
 * that leaves (stopping: it deletes its registry row and releases its claims) or dies (its heartbeat ages past
 * {@code orderly.cluster.liveness}, its claims past {@code orderly.processors.claim-timeout}) leaves its segments
 * to the survivors, whose shares grow to hold them.
 * <p>
 * The shares are computed on the registry's heartbeat ({@link ClusterNodes}), never on the processor's claim loop:
 * the coordinator asks at every pass, and a query there would slow every processor. Two nodes may see the registry
 * a heartbeat apart; for that long a segment may wait unclaimed or a node hold one too many, never two nodes one
 * segment (the claim in the token table decides that). A node alone on a processor has no limit, so that a split by
 * {@link org.orderly.config.processing.LagDrivenSegmentScaler} (which only splits or merges a processor this node holds
 * entirely) is never released back before the next heartbeat counts the new segment. In a cluster that split adds
 * segments the other nodes' shares then take: splitting to catch up becomes spreading the catch-up over the nodes;
 * merging happens again once one node holds everything. The two do not fight: releasing makes a node no longer hold
 * every segment, which stops its catch-up changes.
 */
public final class SegmentBalance implements MaxSegmentProvider {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalance.class);
    /** No limit: Axon's own default. */
    static final int UNLIMITED = Short.MAX_VALUE;

    /** The processors balanced, by the domain store whose token table holds their segments. */
    private final Map<String, DomainStore> stores = new ConcurrentHashMap<>();
    private final Map<String, Integer> shares = new ConcurrentHashMap<>();

    /** Balances the processor, whose tokens live in the store. */
    public SegmentBalance balance(String processor, DomainStore store) {
        stores.put(processor, store);
        return this;
    }

    @Override
    public int getMaxSegments(String processor) {
        return shares.getOrDefault(processor, UNLIMITED);
    }

    /** This node's share of each balanced processor's segments, as of the last heartbeat. */
    public Map<String, Integer> shares() {
        Map<String, Integer> each = new LinkedHashMap<>();
        stores.keySet().stream().sorted().forEach(p -> each.put(p, getMaxSegments(p)));
        return each;
    }

    /**
     * Recomputes the shares: {@code others} are the other live nodes.
     */
    void refresh(String self, Collection<ClusterNode> others) {
        Map<DomainStore, Map<String, Integer>> segments = new LinkedHashMap<>();
        Map<String, String> changed = new java.util.TreeMap<>();
        stores.forEach((processor, store) -> {
            try {
                int total = segments.computeIfAbsent(store, SegmentBalance::segmentCounts).getOrDefault(processor, 0);
                List<String> nodes = new ArrayList<>();
                nodes.add(self);
                others.stream().filter(node -> node.runs(processor)).forEach(node -> nodes.add(node.nodeId()));
                int share = share(processor, total, self, nodes);
                Integer previous = shares.put(processor, share);
                if (previous != null && previous != share) {
                    changed.put(processor, (share == UNLIMITED ? "all" : String.valueOf(share)) + " of " + total
                            + " on " + nodes.size() + " node(s)");
                }
            } catch (RuntimeException e) {
                // The domain's database unreachable: the last shares stand until it answers again.
                log.debug("Could not count the segments of {}", processor, e);
            }
        });
        if (!changed.isEmpty()) {
            log.info("This node's share of segments changed: {}", changed);
        }
    }

    /**
     * The fair share of {@code self} among {@code nodes} (itself included) of a processor's {@code segments}; no
     * limit for a node alone, or while no segment is known yet.
     */
    static int share(String processor, int segments, String self, Collection<String> nodes) {
        if (nodes.size() <= 1 || segments <= 0) {
            return UNLIMITED;
        }
        List<String> ordered = nodes.stream().distinct().sorted().toList();
        int count = ordered.size();
        // The nodes that get one segment more start at a place that depends on the processor, the same on every node.
        int rotated = Math.floorMod(ordered.indexOf(self) - processor.hashCode(), count);
        return segments / count + (rotated < segments % count ? 1 : 0);
    }

    /**
     * Who holds each segment of each balanced processor, as the token tables show it now: node, then processor,
     * then its segments. A node killed without releasing its claims shows until another node takes them over;
     * unclaimed segments show under no node.
     */
    Map<String, Map<String, List<Integer>>> segmentsByNode() {
        Map<String, Map<String, List<Integer>>> byNode = new java.util.TreeMap<>();
        new java.util.LinkedHashSet<>(stores.values()).forEach(store -> store.jdbc().query(
                "SELECT processor_name, segment, owner FROM token_entry WHERE owner IS NOT NULL "
                        + "ORDER BY processor_name, segment",
                rs -> {
                    if (stores.containsKey(rs.getString(1))) {
                        byNode.computeIfAbsent(rs.getString(3), node -> new java.util.TreeMap<>())
                                .computeIfAbsent(rs.getString(1), processor -> new ArrayList<>())
                                .add(rs.getInt(2));
                    }
                }));
        return byNode;
    }

    /** How many segments each processor of the store has: rows in its token table. */
    private static Map<String, Integer> segmentCounts(DomainStore store) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        store.jdbc().query("SELECT processor_name, count(*) FROM token_entry GROUP BY processor_name",
                rs -> {
                    counts.put(rs.getString(1), rs.getInt(2));
                });
        return counts;
    }
}
