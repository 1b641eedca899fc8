package dev.fusion4j.core.search;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.internal.Checks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntFunction;

/**
 * Exact cosine search by brute force: every vector is L2-normalised into one growable row-major {@code float[]},
 * a query is a dot product with every row kept in a bounded min-heap of size k.
 *
 * <p>Cost: {@code add} amortised O(d), {@code remove} O(d) (the last row moves into the hole), {@code search}
 * O(n·d + n·log k), split over {@link Builder#searchThreads} threads once an index holds more than about two
 * million floats. {@link #searchAll} runs many queries as one blocked matrix product (rows are read from memory
 * once per block of queries, not once per query) and returns exactly what {@link #search} returns.
 *
 * <pre>{@code
 * ExactIndex<String> index = ExactIndex.create(384);
 * index.add("doc-1", embedding);
 * List<SearchHit<String>> hits = index.search(query, 10);
 * }</pre>
 *
 * @param <K> the id type
 */
public final class ExactIndex<K> implements EmbeddingIndex<K> {
    /** Floats scanned by one query before the scan is split across threads. */
    static final long PARALLEL_MIN_FLOATS = 1L << 21;
    /** Bytes of rows kept hot in cache while a block of queries runs over them. */
    private static final int ROW_BLOCK_BYTES = 128 * 1024;

    private final int dimension;
    private final int searchThreads;
    private final Guard guard = new Guard();
    private final VectorRows rows;
    private final List<K> ids = new ArrayList<>();
    private final Map<K, Integer> rowOf = new HashMap<>();

    private ExactIndex(Builder builder) {
        this.dimension = builder.dimension;
        this.searchThreads = builder.searchThreads;
        this.rows = new VectorRows(dimension);
    }

    /** An empty index for embeddings of {@code dimension}, with default settings. */
    public static <K> ExactIndex<K> create(int dimension) {
        return builder().dimension(dimension).build();
    }

    /** A builder; {@link Builder#dimension} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads an exact index saved by {@link #save}.
     *
     * @throws ModelLoadException if the file is missing, truncated, corrupt or holds another kind of index
     */
    public static <K> ExactIndex<K> load(Path file, IdCodec<K> codec) {
        return restore(IndexFile.read(file, codec));
    }

    static <K> ExactIndex<K> restore(IndexFile.Contents<K> contents) {
        IndexFile.Header header = contents.header();
        if (header.kind() != IndexFile.Kind.EXACT) {
            throw new ModelLoadException("The file holds a " + header.kind() + " index, not an exact one: read it"
                    + " with EmbeddingIndex.load or HnswIndex.load");
        }
        ExactIndex<K> index = builder().dimension(header.dimension())
                .searchThreads((int) IndexFile.param(header, 0)).build();
        for (int row = 0; row < header.count(); row++) {
            K id = contents.ids().get(row);
            if (index.rowOf.put(id, row) != null) {
                throw new ModelLoadException("The index file is corrupt: id " + id + " appears twice");
            }
            index.ids.add(id);
            index.rows.appendRaw(contents.vectors(), row * header.dimension());
        }
        return index;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** Threads a single large search is split over. */
    public int searchThreads() {
        return searchThreads;
    }

    @Override
    public int size() {
        return guard.read(() -> rows.count());
    }

    @Override
    public boolean contains(K id) {
        IndexChecks.id(id);
        return guard.read(() -> rowOf.containsKey(id));
    }

    @Override
    public void add(K id, Embedding embedding) {
        IndexChecks.id(id);
        IndexChecks.embedding("embedding", embedding, dimension);
        guard.write(() -> {
            Integer row = rowOf.get(id);
            if (row != null) {
                VectorRows.unitInto(embedding, rows.data(), row * dimension);
            } else {
                rowOf.put(id, rows.append(embedding));
                ids.add(id);
            }
            return null;
        });
    }

    @Override
    public boolean remove(K id) {
        IndexChecks.id(id);
        return guard.write(() -> {
            Integer row = rowOf.remove(id);
            if (row == null) {
                return false;
            }
            int last = rows.count() - 1;
            if (row != last) {
                rows.copyRow(last, row);
                K moved = ids.get(last);
                ids.set(row, moved);
                rowOf.put(moved, row);
            }
            ids.remove(last);
            rows.removeLast();
            return true;
        });
    }

    @Override
    public List<SearchHit<K>> search(Embedding query, int k) {
        IndexChecks.embedding("query", query, dimension);
        IndexChecks.k(k);
        float[] q = VectorRows.unit(query);
        return guard.read(() -> {
            IndexChecks.notEmpty(rows.count());
            int n = rows.count();
            int kept = Math.min(k, n);
            int parts = (long) n * dimension >= PARALLEL_MIN_FLOATS ? Math.min(searchThreads, n) : 1;
            List<TopK> partTops = inParallel(parts, part -> {
                TopK partTop = new TopK(kept);
                scan(q, (int) ((long) n * part / parts), (int) ((long) n * (part + 1) / parts), partTop);
                return partTop;
            });
            TopK top = partTops.get(0);
            for (int i = 1; i < partTops.size(); i++) {
                top.addAll(partTops.get(i));
            }
            return hits(top);
        });
    }

    /**
     * The top {@code k} of every query, in query order: the same hits {@link #search} gives for each, computed
     * as one blocked matrix product (higher throughput for many queries).
     */
    public List<List<SearchHit<K>>> searchAll(List<Embedding> queries, int k) {
        if (queries == null) {
            throw new InvalidInputException("queries is null: pass a list of query embeddings");
        }
        IndexChecks.k(k);
        int nq = queries.size();
        float[] q = new float[nq * dimension];
        for (int i = 0; i < nq; i++) {
            VectorRows.unitInto(IndexChecks.embedding("queries[" + i + "]", queries.get(i), dimension), q,
                    i * dimension);
        }
        return guard.read(() -> {
            IndexChecks.notEmpty(rows.count());
            int kept = Math.min(k, rows.count());
            TopK[] tops = new TopK[nq];
            for (int i = 0; i < nq; i++) {
                tops[i] = new TopK(kept);
            }
            long work = (long) nq * rows.count() * dimension;
            int parts = work >= PARALLEL_MIN_FLOATS ? Math.max(1, Math.min(searchThreads, nq / 2)) : 1;
            inParallel(parts, part -> {
                scanBlocked(q, nq * part / parts, nq * (part + 1) / parts, tops);
                return null;
            });
            List<List<SearchHit<K>>> all = new ArrayList<>(nq);
            for (TopK top : tops) {
                all.add(hits(top));
            }
            return all;
        });
    }

    @Override
    public void save(Path file, IdCodec<K> codec) {
        if (codec == null) {
            throw new InvalidInputException("codec is null: pass IdCodec.strings(), IdCodec.longs() or your own");
        }
        guard.read(() -> {
            IndexFile.write(file, IndexFile.Kind.EXACT, codec, new long[] {searchThreads}, rows, ids, row -> true);
            return null;
        });
    }

    @Override
    public String toString() {
        return "ExactIndex[dimension=" + dimension + ", size=" + size() + "]";
    }

    /** Scores rows {@code [from, to)} against the single query {@code q} into {@code top}. */
    private void scan(float[] q, int from, int to, TopK top) {
        float[] data = rows.data();
        for (int row = from; row < to; row++) {
            top.offer(row, VectorRows.dot(data, row * dimension, q, 0, dimension));
        }
    }

    /**
     * Queries {@code [qFrom, qTo)} against every row: rows in cache-sized blocks, queries two at a time through a
     * register-blocked kernel with the lane order of {@link VectorRows#dot}, so the scores are bit-identical.
     */
    private void scanBlocked(float[] q, int qFrom, int qTo, TopK[] tops) {
        float[] data = rows.data();
        int n = rows.count();
        int d = dimension;
        int blocked = d & ~3;
        int rowBlock = Math.max(8, ROW_BLOCK_BYTES / (Float.BYTES * d));
        for (int r0 = 0; r0 < n; r0 += rowBlock) {
            int r1 = Math.min(n, r0 + rowBlock);
            int qi = qFrom;
            for (; qi + 1 < qTo; qi += 2) {
                int qa = qi * d;
                int qb = qa + d;
                for (int row = r0; row < r1; row++) {
                    int o = row * d;
                    float a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
                    int j = 0;
                    for (; j < blocked; j += 4) {
                        float x0 = data[o + j], x1 = data[o + j + 1], x2 = data[o + j + 2], x3 = data[o + j + 3];
                        a0 += x0 * q[qa + j];
                        a1 += x1 * q[qa + j + 1];
                        a2 += x2 * q[qa + j + 2];
                        a3 += x3 * q[qa + j + 3];
                        b0 += x0 * q[qb + j];
                        b1 += x1 * q[qb + j + 1];
                        b2 += x2 * q[qb + j + 2];
                        b3 += x3 * q[qb + j + 3];
                    }
                    for (; j < d; j++) {
                        a0 += data[o + j] * q[qa + j];
                        b0 += data[o + j] * q[qb + j];
                    }
                    tops[qi].offer(row, (a0 + a1) + (a2 + a3));
                    tops[qi + 1].offer(row, (b0 + b1) + (b2 + b3));
                }
            }
            if (qi < qTo) {
                for (int row = r0; row < r1; row++) {
                    tops[qi].offer(row, VectorRows.dot(data, row * d, q, qi * d, d));
                }
            }
        }
    }

    /** Runs {@code task(0..parts-1)}, part 0 on the calling thread and the rest on the common pool. */
    private static <T> List<T> inParallel(int parts, IntFunction<T> task) {
        List<CompletableFuture<T>> others = new ArrayList<>(parts - 1);
        for (int part = 1; part < parts; part++) {
            int p = part;
            others.add(CompletableFuture.supplyAsync(() -> task.apply(p), ForkJoinPool.commonPool()));
        }
        List<T> results = new ArrayList<>(parts);
        results.add(task.apply(0));
        for (CompletableFuture<T> other : others) {
            results.add(other.join());
        }
        return results;
    }

    private List<SearchHit<K>> hits(TopK top) {
        int[] hitRows = new int[top.size()];
        float[] scores = new float[top.size()];
        int n = top.drainBestFirst(hitRows, scores);
        List<SearchHit<K>> hits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hits.add(new SearchHit<>(ids.get(hitRows[i]), scores[i]));
        }
        return hits;
    }

    /** Settings of an {@link ExactIndex}; {@link #dimension} is required. */
    public static final class Builder {
        private int dimension;
        private int searchThreads = Math.min(2, Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        /** Dimension of the embeddings to index (required). */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /** Threads a large search is split over; default {@code min(2, available processors)}. */
        public Builder searchThreads(int searchThreads) {
            this.searchThreads = Checks.positive("searchThreads", searchThreads);
            return this;
        }

        /** An empty index. */
        public <K> ExactIndex<K> build() {
            IndexChecks.dimension(dimension);
            return new ExactIndex<>(this);
        }
    }
}
