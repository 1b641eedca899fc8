package dev.fusion4j.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.api.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class HnswIndexTest {

    /**
     * Builds an exact and an HNSW index (M 16, beamWidth 100, the given efSearch) on the first n vectors, queries
     * both with the rest, prints the figures and returns recall@10.
     */
    private static double measureRecall(String data, List<Embedding> all, int n, int efSearch) {
        List<Embedding> vectors = all.subList(0, n);
        List<Embedding> queries = all.subList(n, all.size());
        ExactIndex<Long> exact = IndexTestSupport.fill(ExactIndex.create(384), vectors);
        long start = System.nanoTime();
        HnswIndex<Long> hnsw = IndexTestSupport.fill(HnswIndex.builder().dimension(384).efSearch(efSearch).build(),
                vectors);
        long buildMs = (System.nanoTime() - start) / 1_000_000;
        long[] nanos = new long[queries.size()];
        List<List<SearchHit<Long>>> approx = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            long t = System.nanoTime();
            approx.add(hnsw.search(queries.get(i), 10));
            nanos[i] = System.nanoTime() - t;
        }
        long exactStart = System.nanoTime();
        List<List<SearchHit<Long>>> truth = exact.searchAll(queries, 10);
        double exactMs = (System.nanoTime() - exactStart) / 1e6 / queries.size();
        Arrays.sort(nanos);
        double recall = IndexTestSupport.recall(truth, approx);
        System.out.printf("HNSW %s n=%d d=384 M=16 beamWidth=100 efSearch=%d: recall@10=%.4f build=%d ms"
                + " median query=%.3f ms (exact searchAll %.3f ms/query)%n", data, n, efSearch, recall, buildMs,
                nanos[nanos.length / 2] / 1e6, exactMs);
        return recall;
    }

    private static List<Embedding> mixture(int n) {
        return IndexTestSupport.mixture(21, n, 384, 200, 1.0);
    }

    @Test
    void recallAt10On5000ClusteredRandom384dVectorsWithDefaults() {
        assertThat(measureRecall("mixture", mixture(5_200), 5_000, 100)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void recallAt10On5000IsotropicRandom384dVectorsNeedsLargerEf() {
        // no structure at all: the worst case for any graph index; efSearch 100 gives about 0.79 here
        List<Embedding> all = IndexTestSupport.gaussians(23, 5_200, 384);
        assertThat(measureRecall("isotropic", all, 5_000, 400)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    @EnabledIfSystemProperty(named = "fusion.longTests", matches = "true")
    void recallAt10On20000Random384dVectors() {
        assertThat(measureRecall("mixture", mixture(20_500), 20_000, 100)).isGreaterThanOrEqualTo(0.95);
        List<Embedding> isotropic = IndexTestSupport.gaussians(23, 20_500, 384);
        for (int ef : new int[] {100, 400}) {
            measureRecall("isotropic", isotropic, 20_000, ef); // recorded in docs/downstream.md, not asserted
        }
    }

    @Test
    void removedIdsAreNeverReturnedAndCompactionDropsTombstones() {
        List<Embedding> vectors = IndexTestSupport.gaussians(31, 400, 16);
        HnswIndex<Long> index = IndexTestSupport.fill(HnswIndex.builder().dimension(16).compactionThreshold(0.5)
                .build(), vectors);
        for (long id = 0; id < 150; id++) {
            index.remove(id);
        }
        assertThat(index.tombstones()).isEqualTo(150);
        assertThat(index.size()).isEqualTo(250);
        for (int i = 0; i < 400; i += 7) {
            List<SearchHit<Long>> hits = index.search(vectors.get(i), 10);
            assertThat(hits).hasSize(10).allSatisfy(h -> assertThat(h.id()).isGreaterThanOrEqualTo(150L));
            if (i >= 150) {
                assertThat(hits.get(0).id()).isEqualTo((long) i);
            }
        }
        for (long id = 150; id < 260; id++) {
            index.remove(id); // crosses the 50% threshold: rebuilt
        }
        assertThat(index.tombstones()).isLessThan(100);
        index.compact();
        assertThat(index.tombstones()).isZero();
        assertThat(index.size()).isEqualTo(140);
        assertThat(index.search(vectors.get(300), 1).get(0).id()).isEqualTo(300L);
        index.add(5L, vectors.get(5));
        assertThat(index.search(vectors.get(5), 1).get(0)).isEqualTo(new SearchHit<>(5L,
                index.search(vectors.get(5), 1).get(0).score()));
        assertThat(index.search(vectors.get(5), 1).get(0).id()).isEqualTo(5L);
    }

    @Test
    void smallIndexesAreExact() {
        List<Embedding> vectors = IndexTestSupport.gaussians(41, 90, 12);
        HnswIndex<Long> index = IndexTestSupport.fill(HnswIndex.create(12), vectors);
        for (Embedding q : IndexTestSupport.gaussians(42, 10, 12)) {
            IndexTestSupport.assertExactTopK(index.search(q, 5), vectors, q, 5); // ef=100 covers all 90 nodes
        }
    }

    @Test
    void sameSeedAndInsertsGiveTheSameGraph() {
        List<Embedding> vectors = IndexTestSupport.gaussians(51, 1500, 32);
        HnswIndex<Long> a = IndexTestSupport.fill(HnswIndex.builder().dimension(32).efSearch(10).build(), vectors);
        HnswIndex<Long> b = IndexTestSupport.fill(HnswIndex.builder().dimension(32).efSearch(10).build(), vectors);
        for (Embedding q : IndexTestSupport.gaussians(52, 20, 32)) {
            assertThat(a.search(q, 10)).isEqualTo(b.search(q, 10));
        }
    }
}
