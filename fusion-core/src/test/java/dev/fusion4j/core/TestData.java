package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.sum.WeightMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Shared fixtures of the fusion-core tests. */
public final class TestData {
    public static final Modality AUDIO = Modality.named("audio");

    private TestData() {
    }

    /** An ordered modality -> dimension map from (Modality, Integer) pairs. */
    public static Map<Modality, Integer> dims(Object... pairs) {
        Map<Modality, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((Modality) pairs[i], (Integer) pairs[i + 1]);
        }
        return out;
    }

    /** A record from (Modality, Embedding) pairs. */
    public static ModalityEmbeddings record(Object... pairs) {
        ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
        for (int i = 0; i < pairs.length; i += 2) {
            b.put((Modality) pairs[i], (Embedding) pairs[i + 1]);
        }
        return b.build();
    }

    /** A Gaussian vector (not normalised). */
    public static Embedding gaussian(Random random, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embedding.of(v);
    }

    /** A random unit vector. */
    public static Embedding unit(Random random, int d) {
        return gaussian(random, d).normalized();
    }

    /** Every strategy family with small settings, keyed by a name (full bilinear takes two modalities). */
    public static Map<String, FusionSpec> smallSpecs() {
        Map<String, FusionSpec> specs = new LinkedHashMap<>();
        specs.put("concat", Fusions.concat().presenceBits(true));
        specs.put("weightedSum-fixed", Fusions.weightedSum().weight(Modality.TEXT, 2.0));
        specs.put("weightedSum-learned", Fusions.weightedSum().mode(WeightMode.LEARNED).dimension(12));
        specs.put("weightedSum-gated", Fusions.weightedSum().mode(WeightMode.GATED));
        specs.put("attention-token", Fusions.attention().dimension(16).heads(2).layers(2));
        specs.put("attention-mean", Fusions.attention().dimension(16).heads(4).fusionToken(false));
        specs.put("crossAttention", Fusions.crossAttention().dimension(16).heads(2).layers(2));
        specs.put("bilinear-full", Fusions.bilinear().full());
        specs.put("bilinear-compact", Fusions.bilinear().compact(64));
        specs.put("bilinear-lowRank", Fusions.bilinear().lowRank(24).factor(3));
        return specs;
    }

    /** Three modalities (two for full bilinear) with small, different dimensions. */
    public static Map<Modality, Integer> smallDims(String specName) {
        return specName.equals("bilinear-full") ? dims(Modality.TEXT, 6, Modality.IMAGE, 10)
                : dims(Modality.TEXT, 6, Modality.IMAGE, 10, AUDIO, 8);
    }

    /** Fixed records over the given modalities: every non-empty presence pattern, twice, seeded. */
    public static java.util.List<ModalityEmbeddings> allPatterns(Map<Modality, Integer> dims, long seed) {
        Random random = new Random(seed);
        java.util.List<Modality> modalities = java.util.List.copyOf(dims.keySet());
        java.util.List<ModalityEmbeddings> out = new java.util.ArrayList<>();
        for (int repeat = 0; repeat < 2; repeat++) {
            for (int pattern = 1; pattern < (1 << modalities.size()); pattern++) {
                ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
                for (int m = 0; m < modalities.size(); m++) {
                    if ((pattern & (1 << m)) != 0) {
                        b.put(modalities.get(m), gaussian(random, dims.get(modalities.get(m))));
                    }
                }
                out.add(b.build());
            }
        }
        return out;
    }

    /**
     * The records with a seeded sequence of 1 to 5 positions beside every present embedding (the first record's
     * modalities keep their pooled embedding alone: a one-position sequence), for sequence-level strategies.
     */
    public static java.util.List<ModalityEmbeddings> withSequences(java.util.List<ModalityEmbeddings> records,
            long seed) {
        Random random = new Random(seed);
        java.util.List<ModalityEmbeddings> out = new java.util.ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
            for (Map.Entry<Modality, Embedding> e : records.get(i).asMap().entrySet()) {
                int d = e.getValue().dimension();
                if (i == 0) {
                    b.put(e.getKey(), e.getValue());
                    continue;
                }
                float[] v = new float[(1 + random.nextInt(5)) * d];
                for (int k = 0; k < v.length; k++) {
                    v[k] = (float) random.nextGaussian();
                }
                dev.fusion4j.api.EmbeddingSequence s = dev.fusion4j.api.EmbeddingSequence.of(d, v);
                b.put(e.getKey(), s.mean(), s);
            }
            out.add(b.build());
        }
        return out;
    }

    /**
     * Starts load while {@code busy} holds: two threads spinning on arithmetic (both cores of these machines) and
     * one allocating garbage and asking for collections. Join them after clearing {@code busy}.
     */
    public static java.util.List<Thread> busyThreads(java.util.concurrent.atomic.AtomicBoolean busy) {
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> {
                double x = 1;
                while (busy.get()) {
                    for (int k = 0; k < 10_000; k++) {
                        x = x * 1.0000001 + 1e-9;
                    }
                }
                if (x == 0) {
                    throw new AssertionError("never: keeps the loop from being removed");
                }
            }, "test-spinner-" + i));
        }
        threads.add(new Thread(() -> {
            while (busy.get()) {
                byte[][] garbage = new byte[64][];
                for (int k = 0; k < garbage.length; k++) {
                    garbage[k] = new byte[16 << 10];
                }
                System.gc();
            }
        }, "test-collector"));
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        return threads;
    }

    /** Closes a strategy if it holds resources. */
    public static void close(FusionStrategy strategy) {
        if (strategy instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Largest absolute difference. */
    public static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
