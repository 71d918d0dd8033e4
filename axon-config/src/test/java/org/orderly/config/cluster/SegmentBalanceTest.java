package org.orderly.config.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SegmentBalanceTest {

    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");

    @Test
    void theSharesOfTheLiveNodesAddUpToTheSegmentsAndDifferByAtMostOne() {
        for (int nodes = 2; nodes <= 3; nodes++) {
            List<String> live = NODES.subList(0, nodes);
            for (int segments = 1; segments <= 9; segments++) {
                for (String processor : List.of("products", "orders", "OrderFulfilmentSagaProcessor")) {
                    int total = segments;
                    int least = segments / nodes;
                    int most = (segments + nodes - 1) / nodes;
                    List<Integer> shares = live.stream()
                            .map(node -> SegmentBalance.share(processor, total, node, live)).toList();
                    assertThat(shares.stream().mapToInt(Integer::intValue).sum()).as("%s %s", processor, shares)
                            .isEqualTo(segments);
                    assertThat(shares).allSatisfy(share -> assertThat(share).isBetween(least, most));
                }
            }
        }
    }

    @Test
    void twoNodesSplitATwoSegmentProcessorOneEach() {
        assertThat(SegmentBalance.share("products", 2, "node-a", List.of("node-a", "node-b"))).isEqualTo(1);
        assertThat(SegmentBalance.share("products", 2, "node-b", List.of("node-b", "node-a"))).isEqualTo(1);
    }

    @Test
    void oneSegmentProcessorsGoToEachOfTwoNodesInTurn() {
        List<String> live = List.of("node-a", "node-b");
        long onA = IntStream.range(0, 20)
                .filter(i -> SegmentBalance.share("projection-" + i, 1, "node-a", live) == 1).count();
        assertThat(onA).isBetween(5L, 15L);
    }

    @Test
    void aNodeAloneOrWithoutKnownSegmentsHasNoLimit() {
        assertThat(SegmentBalance.share("products", 2, "node-a", List.of("node-a")))
                .isEqualTo(SegmentBalance.UNLIMITED);
        assertThat(SegmentBalance.share("products", 0, "node-a", List.of("node-a", "node-b")))
                .isEqualTo(SegmentBalance.UNLIMITED);
    }
}
