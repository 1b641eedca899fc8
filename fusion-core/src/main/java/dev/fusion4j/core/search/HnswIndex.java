package dev.fusion4j.core.search;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.internal.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Approximate cosine search on a Hierarchical Navigable Small World graph (Malkov &amp; Yashunin 2016), built and
 * searched with Lucene's {@code org.apache.lucene.util.hnsw} (9.12) over this index's own contiguous float rows.
 *
 * <p>Graph scores are Lucene's {@code DOT_PRODUCT} mapping of unit vectors, {@code (1 + cos) / 2}; the hits
 * returned carry the exact cosine, recomputed for the candidates.
 *
 * <ul>
 *   <li>{@code add}: inserted into the graph at once (O(beamWidth · log n) distance computations). Adding an id
 *       that exists tombstones its old node and inserts a new one.</li>
 *   <li>{@code remove}: a tombstone; the graph search walks through tombstoned nodes but never collects them, so
 *       the {@code efSearch} candidates are all live. When tombstones exceed {@link Builder#compactionThreshold}
 *       of the nodes, the graph is rebuilt from the live vectors ({@link #compact()}).</li>
 *   <li>{@code search}: collects {@code max(k, efSearch)} candidates, returns the best k.</li>
 *   <li>{@code save}: writes the live vectors, ids and parameters (not the graph); {@code load} rebuilds the graph
 *       by inserting them in saved order with the saved seed. That costs a build (seconds for tens of thousands of
 *       vectors) but keeps the file format independent of Lucene's internals, and gives the same graph, hence the
 *       same results, as the saved index had when it had no tombstones.</li>
 * </ul>
 *
 * <p>The defaults (M 32, beamWidth 200, efSearch 400) reach recall@10 &ge; 0.95 against exact search even on
 * 20,000 isotropic random 384-d vectors, the hardest case for a graph index (docs/downstream.md has the figures).
 * Clustered data, as real embeddings usually are, reaches the same recall with far smaller settings: lower
 * {@code efSearch} (per index or per query, {@link #search(Embedding, int, int)}) to trade recall for speed.
 *
 * <pre>{@code
 * HnswIndex<Long> index = HnswIndex.builder().dimension(384).m(16).beamWidth(100).efSearch(100).build();
 * }</pre>
 *
 * @param <K> the id type
 */
public final class HnswIndex<K> implements EmbeddingIndex<K> {
    /** Default maximum connections per node (M). */
    public static final int DEFAULT_M = 32;
    /** Default candidate list size while inserting (efConstruction). */
    public static final int DEFAULT_BEAM_WIDTH = 200;
    /** Default candidate list size while searching. */
    public static final int DEFAULT_EF_SEARCH = 400;
    /** Lucene's upper bounds on M and beamWidth (its HNSW vector format refuses more). */
    private static final int MAX_M = 512;
    private static final int MAX_BEAM_WIDTH = 3200;
    /** Below this many nodes the graph is never rebuilt automatically. */
    private static final int MIN_NODES_TO_COMPACT = 64;

    private final int dimension;
    private final int m;
    private final int beamWidth;
    private final int efSearch;
    private final long seed;
    private final double compactionThreshold;
    private final Guard guard = new Guard();

    // graph state, replaced wholesale by compact(); node ordinal = row in `rows`
    private VectorRows rows;
    private List<K> idOfNode;
    private BitSet dead;
    private int deadCount;
    private HnswGraphBuilder builder;
    private final Map<K, Integer> nodeOf = new HashMap<>();

    private HnswIndex(Builder b) {
        this.dimension = b.dimension;
        this.m = b.m;
        this.beamWidth = b.beamWidth;
        this.efSearch = b.efSearch;
        this.seed = b.seed;
        this.compactionThreshold = b.compactionThreshold;
        reset();
    }

    /** A builder; {@link Builder#dimension} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** An empty index for embeddings of {@code dimension}, with default graph parameters. */
    public static <K> HnswIndex<K> create(int dimension) {
        return builder().dimension(dimension).build();
    }

    /**
     * Reads an HNSW index saved by {@link #save} and rebuilds its graph.
     *
     * @throws ModelLoadException if the file is missing, truncated, corrupt or holds another kind of index
     */
    public static <K> HnswIndex<K> load(Path file, IdCodec<K> codec) {
        return restore(IndexFile.read(file, codec));
    }

    static <K> HnswIndex<K> restore(IndexFile.Contents<K> contents) {
        IndexFile.Header header = contents.header();
        if (header.kind() != IndexFile.Kind.HNSW) {
            throw new ModelLoadException("The file holds a " + header.kind() + " index, not an HNSW one: read it"
                    + " with EmbeddingIndex.load or ExactIndex.load");
        }
        HnswIndex<K> index;
        try {
            index = builder().dimension(header.dimension())
                    .m((int) IndexFile.param(header, 0))
                    .beamWidth((int) IndexFile.param(header, 1))
                    .efSearch((int) IndexFile.param(header, 2))
                    .seed(IndexFile.param(header, 3))
                    .compactionThreshold(Double.longBitsToDouble(IndexFile.param(header, 4)))
                    .build();
        } catch (InvalidInputException e) {
            throw new ModelLoadException("The index file holds invalid HNSW parameters: " + e.getMessage(), e);
        }
        index.guard.write(() -> {
            for (int row = 0; row < header.count(); row++) {
                K id = contents.ids().get(row);
                if (index.nodeOf.containsKey(id)) {
                    throw new ModelLoadException("The index file is corrupt: id " + id + " appears twice");
                }
                index.insert(id, contents.vectors(), row * header.dimension());
            }
            return null;
        });
        return index;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** Maximum connections per node on the upper layers (twice this on layer 0). */
    public int m() {
        return m;
    }

    /** Candidate list size while inserting (efConstruction). */
    public int beamWidth() {
        return beamWidth;
    }

    /** Candidate list size while searching; a search collects {@code max(k, efSearch)}. */
    public int efSearch() {
        return efSearch;
    }

    @Override
    public int size() {
        return guard.read(nodeOf::size);
    }

    /** Tombstoned nodes still in the graph (they disappear at the next {@link #compact()}). */
    public int tombstones() {
        return guard.read(() -> deadCount);
    }

    @Override
    public boolean contains(K id) {
        IndexChecks.id(id);
        return guard.read(() -> nodeOf.containsKey(id));
    }

    @Override
    public void add(K id, Embedding embedding) {
        IndexChecks.id(id);
        IndexChecks.embedding("embedding", embedding, dimension);
        float[] unit = VectorRows.unit(embedding);
        guard.write(() -> {
            Integer old = nodeOf.get(id);
            if (old != null) {
                bury(old);
            }
            insert(id, unit, 0);
            compactIfNeeded();
            return null;
        });
    }

    @Override
    public boolean remove(K id) {
        IndexChecks.id(id);
        return guard.write(() -> {
            Integer node = nodeOf.remove(id);
            if (node == null) {
                return false;
            }
            bury(node);
            compactIfNeeded();
            return true;
        });
    }

    /** Rebuilds the graph from the live vectors only, dropping every tombstone. */
    public void compact() {
        guard.write(() -> {
            VectorRows oldRows = rows;
            List<K> oldIds = idOfNode;
            BitSet oldDead = dead;
            reset();
            for (int node = 0; node < oldRows.count(); node++) {
                if (!oldDead.get(node)) {
                    insert(oldIds.get(node), oldRows.data(), node * dimension);
                }
            }
            return null;
        });
    }

    @Override
    public List<SearchHit<K>> search(Embedding query, int k) {
        return search(query, k, efSearch);
    }

    /**
     * Like {@link #search(Embedding, int)} with another candidate list size for this query only: a larger
     * {@code efSearch} gives higher recall at a proportionally higher cost.
     */
    public List<SearchHit<K>> search(Embedding query, int k, int efSearch) {
        IndexChecks.embedding("query", query, dimension);
        IndexChecks.k(k);
        Checks.positive("efSearch", efSearch);
        float[] q = VectorRows.unit(query);
        return guard.read(() -> {
            IndexChecks.notEmpty(nodeOf.size());
            KnnCollector collector;
            try {
                collector = HnswGraphSearcher.search(new Scorer(q, 0), Math.max(k, efSearch), graph(),
                        deadCount == 0 ? null : new LiveNodes(), Integer.MAX_VALUE);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // on-heap vectors: never happens
            }
            TopK top = new TopK(Math.min(k, nodeOf.size()));
            for (ScoreDoc doc : collector.topDocs().scoreDocs) {
                top.offer(doc.doc, rows.dot(doc.doc, q, 0));
            }
            int[] nodes = new int[top.size()];
            float[] scores = new float[top.size()];
            int n = top.drainBestFirst(nodes, scores);
            List<SearchHit<K>> hits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                hits.add(new SearchHit<>(idOfNode.get(nodes[i]), scores[i]));
            }
            return hits;
        });
    }

    @Override
    public void save(Path file, IdCodec<K> codec) {
        if (codec == null) {
            throw new InvalidInputException("codec is null: pass IdCodec.strings(), IdCodec.longs() or your own");
        }
        long[] params = {m, beamWidth, efSearch, seed, Double.doubleToLongBits(compactionThreshold)};
        guard.read(() -> {
            IndexFile.write(file, IndexFile.Kind.HNSW, codec, params, rows, idOfNode, node -> !dead.get(node));
            return null;
        });
    }

    @Override
    public String toString() {
        return "HnswIndex[dimension=" + dimension + ", size=" + size() + ", m=" + m + ", beamWidth=" + beamWidth
                + ", efSearch=" + efSearch + "]";
    }

    /** Starts an empty graph (write lock held, or in the constructor). */
    private void reset() {
        rows = new VectorRows(dimension);
        idOfNode = new ArrayList<>();
        dead = new BitSet();
        deadCount = 0;
        nodeOf.clear();
        try {
            builder = HnswGraphBuilder.create(new Scorers(), m, beamWidth, seed);
        } catch (IOException e) {
            throw new FusionException("Cannot start an HNSW graph: " + e, e);
        }
    }

    private OnHeapHnswGraph graph() {
        return builder.getGraph();
    }

    /** Appends a unit vector as a new node and links it into the graph (write lock held). */
    private void insert(K id, float[] unit, int offset) {
        int node = rows.appendRaw(unit, offset);
        idOfNode.add(id);
        nodeOf.put(id, node);
        try {
            builder.addGraphNode(node);
        } catch (IOException e) {
            throw new FusionException("Cannot add node " + node + " to the HNSW graph: " + e, e);
        }
    }

    private void bury(int node) {
        dead.set(node);
        idOfNode.set(node, null);
        deadCount++;
    }

    private void compactIfNeeded() {
        if (rows.count() >= MIN_NODES_TO_COMPACT && deadCount > compactionThreshold * rows.count()) {
            compact();
        }
    }

    /** Maps a dot product of unit vectors to Lucene's non-negative DOT_PRODUCT score. */
    private static float graphScore(float dot) {
        return Math.max((1 + dot) / 2, 0);
    }

    /** Scores one stored or query vector against the graph's nodes. */
    private final class Scorer implements RandomVectorScorer {
        private final float[] vector;
        private final int offset;

        Scorer(float[] vector, int offset) {
            this.vector = vector;
            this.offset = offset;
        }

        @Override
        public float score(int node) {
            return graphScore(rows.dot(node, vector, offset));
        }

        @Override
        public int maxOrd() {
            return rows.count();
        }
    }

    /** Scorers for stored nodes, used by the graph builder. Stateless, so {@link #copy()} is itself. */
    private final class Scorers implements RandomVectorScorerSupplier {
        @Override
        public RandomVectorScorer scorer(int node) {
            return new Scorer(rows.data(), node * dimension);
        }

        @Override
        public RandomVectorScorerSupplier copy() {
            return this;
        }
    }

    /** The nodes a search may return: the ones not tombstoned. */
    private final class LiveNodes implements Bits {
        @Override
        public boolean get(int node) {
            return !dead.get(node);
        }

        @Override
        public int length() {
            return rows.count();
        }
    }

    /** Settings of an {@link HnswIndex}; {@link #dimension} is required. */
    public static final class Builder {
        private int dimension;
        private int m = DEFAULT_M;
        private int beamWidth = DEFAULT_BEAM_WIDTH;
        private int efSearch = DEFAULT_EF_SEARCH;
        private long seed = 42;
        private double compactionThreshold = 0.25;

        private Builder() {
        }

        /** Dimension of the embeddings to index (required). */
        public Builder dimension(int dimension) {
            this.dimension = dimension;
            return this;
        }

        /**
         * Maximum connections per node (M; twice this on the bottom layer), in [1, 512], default 32; more gives
         * higher recall at the same {@code efSearch}, more memory and a slower build.
         */
        public Builder m(int m) {
            this.m = atMost("m", Checks.positive("m", m), MAX_M);
            return this;
        }

        /** Candidates kept while inserting (efConstruction), in [1, 3200], default 200. */
        public Builder beamWidth(int beamWidth) {
            this.beamWidth = atMost("beamWidth", Checks.positive("beamWidth", beamWidth), MAX_BEAM_WIDTH);
            return this;
        }

        /**
         * Candidates kept while searching, default 400; a search uses {@code max(k, efSearch)}. Recall and cost
         * both grow with it (about linearly in cost).
         */
        public Builder efSearch(int efSearch) {
            this.efSearch = Checks.positive("efSearch", efSearch);
            return this;
        }

        private static int atMost(String setting, int value, int max) {
            if (value > max) {
                throw new InvalidInputException(setting + " must be at most " + max + " (Lucene's limit), got "
                        + value);
            }
            return value;
        }

        /** Seed of the random layer assignment, default 42: the same inserts give the same graph. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Fraction of tombstoned nodes, in (0, 1], above which the graph is rebuilt; default 0.25. */
        public Builder compactionThreshold(double compactionThreshold) {
            if (!(compactionThreshold > 0 && compactionThreshold <= 1)) {
                throw new InvalidInputException("compactionThreshold must be in (0, 1], got " + compactionThreshold);
            }
            this.compactionThreshold = compactionThreshold;
            return this;
        }

        /** An empty index. */
        public <K> HnswIndex<K> build() {
            IndexChecks.dimension(dimension);
            return new HnswIndex<>(this);
        }
    }
}
