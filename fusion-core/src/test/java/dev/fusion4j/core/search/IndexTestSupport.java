package dev.fusion4j.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.core.TestData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** Fixtures and brute-force reference shared by the index tests. */
final class IndexTestSupport {
    private IndexTestSupport() {
    }

    /** {@code n} seeded Gaussian embeddings of dimension {@code d}. */
    static List<Embedding> gaussians(long seed, int n, int d) {
        Random random = new Random(seed);
        List<Embedding> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(TestData.gaussian(random, d));
        }
        return out;
    }

    /**
     * {@code n} seeded 384-d-style vectors from a Gaussian mixture: {@code centres} unit-variance random centres,
     * each point a centre plus isotropic noise of standard deviation {@code noise} (real embeddings are clustered
     * like this; isotropic Gaussians, {@link #gaussians}, are HNSW's worst case).
     */
    static List<Embedding> mixture(long seed, int n, int d, int centres, double noise) {
        Random random = new Random(seed);
        List<Embedding> means = gaussians(seed + 1, centres, d);
        List<Embedding> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] x = means.get(random.nextInt(centres)).toArray();
            for (int j = 0; j < d; j++) {
                x[j] += (float) (noise * random.nextGaussian());
            }
            out.add(Embedding.of(x));
        }
        return out;
    }

    /** Adds {@code vectors} under ids 0..n-1. */
    static <I extends EmbeddingIndex<Long>> I fill(I index, List<Embedding> vectors) {
        for (int i = 0; i < vectors.size(); i++) {
            index.add((long) i, vectors.get(i));
        }
        return index;
    }

    /** Indices of the k most cosine-similar vectors (double precision), best first. */
    static List<Integer> bruteForce(List<Embedding> vectors, Embedding query, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -vectors.get(i).cosine(query)));
        return order.subList(0, Math.min(k, order.size()));
    }

    /**
     * Asserts {@code hits} is a correct top-k for {@code query}: scores equal the true cosines, descending, and
     * nothing left out scores higher than the last hit (tolerant to ties and float rounding).
     */
    static void assertExactTopK(List<SearchHit<Long>> hits, List<Embedding> vectors, Embedding query, int k) {
        List<Integer> truth = bruteForce(vectors, query, k);
        assertThat(hits).hasSize(truth.size());
        for (int i = 0; i < hits.size(); i++) {
            SearchHit<Long> hit = hits.get(i);
            double trueScore = vectors.get(hit.id().intValue()).cosine(query);
            assertThat((double) hit.score()).isCloseTo(trueScore, org.assertj.core.data.Offset.offset(1e-5));
            assertThat((double) hit.score()).isCloseTo(vectors.get(truth.get(i)).cosine(query),
                    org.assertj.core.data.Offset.offset(1e-5));
            if (i > 0) {
                assertThat(hit.score()).isLessThanOrEqualTo(hits.get(i - 1).score());
            }
        }
        assertThat(hits.stream().map(SearchHit::id).distinct().count()).isEqualTo(hits.size());
    }

    /** recall@k of {@code approx} against {@code exact}, averaged over queries. */
    static double recall(List<List<SearchHit<Long>>> exact, List<List<SearchHit<Long>>> approx) {
        double sum = 0;
        for (int q = 0; q < exact.size(); q++) {
            List<Long> truth = exact.get(q).stream().map(SearchHit::id).toList();
            long found = approx.get(q).stream().map(SearchHit::id).filter(truth::contains).count();
            sum += (double) found / truth.size();
        }
        return sum / exact.size();
    }
}
