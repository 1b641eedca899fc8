package dev.fusion4j.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.api.Embedding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExactIndexTest {

    @Test
    void searchEqualsBruteForceIncludingDuplicates() {
        List<Embedding> vectors = new ArrayList<>(IndexTestSupport.gaussians(1, 500, 37));
        for (int i = 0; i < 40; i++) {
            vectors.add(vectors.get(i * 3)); // exact duplicates: tied scores
            vectors.add(Embedding.of(vectors.get(i).toArray()).normalized()); // same direction, other norm
        }
        ExactIndex<Long> index = IndexTestSupport.fill(ExactIndex.create(37), vectors);
        List<Embedding> queries = new ArrayList<>(IndexTestSupport.gaussians(2, 30, 37));
        queries.add(vectors.get(6)); // a query tied with its duplicate
        for (Embedding q : queries) {
            for (int k : new int[] {1, 10, 57}) {
                IndexTestSupport.assertExactTopK(index.search(q, k), vectors, q, k);
            }
        }
    }

    @Test
    void tiedScoresComeInInsertionOrder() {
        ExactIndex<String> index = ExactIndex.create(2);
        index.add("b", Embedding.of(1, 0));
        index.add("a", Embedding.of(2, 0));
        index.add("c", Embedding.of(0, 1));
        index.add("d", Embedding.of(3, 0));
        assertThat(index.search(Embedding.of(5, 0), 4).stream().map(SearchHit::id))
                .containsExactly("b", "a", "d", "c");
    }

    @Test
    void removeSwapsWithLastAndReAddWorks() {
        List<Embedding> vectors = IndexTestSupport.gaussians(5, 200, 16);
        ExactIndex<Long> index = IndexTestSupport.fill(ExactIndex.create(16), vectors);
        for (long id = 0; id < 200; id += 3) {
            assertThat(index.remove(id)).isTrue();
        }
        assertThat(index.size()).isEqualTo(200 - 67);
        for (int i = 0; i < 200; i++) {
            List<SearchHit<Long>> top = index.search(vectors.get(i), 1);
            if (i % 3 == 0) {
                assertThat(top.get(0).id()).isNotEqualTo((long) i);
                assertThat(index.contains((long) i)).isFalse();
            } else {
                assertThat(top.get(0).id()).as("vector %d still finds itself", i).isEqualTo((long) i);
                assertThat(top.get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
        index.add(0L, vectors.get(0));
        assertThat(index.search(vectors.get(0), 1).get(0).id()).isEqualTo(0L);
        assertThat(index.size()).isEqualTo(134);
    }

    @Test
    void searchAllEqualsSearchBitForBit() {
        List<Embedding> vectors = IndexTestSupport.gaussians(7, 3001, 101); // d not a multiple of 4
        ExactIndex<Long> index = IndexTestSupport.fill(ExactIndex.create(101), vectors);
        List<Embedding> queries = IndexTestSupport.gaussians(8, 9, 101); // odd count
        List<List<SearchHit<Long>>> all = index.searchAll(queries, 10);
        assertThat(all).hasSize(9);
        for (int i = 0; i < queries.size(); i++) {
            assertThat(all.get(i)).isEqualTo(index.search(queries.get(i), 10));
        }
        assertThat(index.searchAll(List.of(), 3)).isEmpty();
    }

    @Test
    void parallelSearchEqualsSingleThreaded() {
        List<Embedding> vectors = IndexTestSupport.gaussians(9, 6000, 384); // 2.3M floats: split in two
        ExactIndex<Long> two = IndexTestSupport.fill(ExactIndex.builder().dimension(384).searchThreads(2).build(),
                vectors);
        ExactIndex<Long> one = IndexTestSupport.fill(ExactIndex.builder().dimension(384).searchThreads(1).build(),
                vectors);
        List<Embedding> queries = IndexTestSupport.gaussians(10, 8, 384);
        for (Embedding q : queries) {
            assertThat(two.search(q, 20)).isEqualTo(one.search(q, 20));
        }
        assertThat(two.searchAll(queries, 20)).isEqualTo(one.searchAll(queries, 20));
    }

    @Test
    void concurrentReadersAndWritersDoNotInterfere() throws Exception {
        List<Embedding> vectors = IndexTestSupport.gaussians(11, 2000, 32);
        ExactIndex<Long> index = ExactIndex.create(32);
        index.add(-1L, vectors.get(0));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> IndexTestSupport.fill(index, vectors));
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        assertThat(index.search(vectors.get(i), 5)).isNotEmpty();
                    }
                }));
            }
            writer.get();
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(index.size()).isEqualTo(2001);
    }
}
