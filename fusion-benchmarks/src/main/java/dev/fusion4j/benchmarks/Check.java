package dev.fusion4j.benchmarks;

import dev.fusion4j.api.Embedding;

import java.util.List;

/** Proves at setup that a baseline computes what fusion4j computes, so the comparison is fair. */
final class Check {
    private Check() {
    }

    static void sameVectors(String what, List<Embedding> fusion4j, float[][] raw) {
        if (fusion4j.size() != raw.length) {
            throw new IllegalStateException(what + ": fusion4j gave " + fusion4j.size() + " vectors, raw " + raw.length);
        }
        for (int i = 0; i < raw.length; i++) {
            float[] a = fusion4j.get(i).toArray();
            float[] b = raw[i];
            if (a.length != b.length) {
                throw new IllegalStateException(what + " " + i + ": dimension " + a.length + " vs raw " + b.length);
            }
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int j = 0; j < a.length; j++) {
                dot += (double) a[j] * b[j];
                na += (double) a[j] * a[j];
                nb += (double) b[j] * b[j];
            }
            double cosine = dot / Math.sqrt(na * nb);
            if (!(cosine > 0.9999)) {
                throw new IllegalStateException(what + " " + i + ": fusion4j and the raw baseline differ (cosine "
                        + cosine + "): the baseline does not compute the same thing");
            }
        }
    }

    static void sameEmbeddings(String what, List<Embedding> fusion4j, List<Embedding> raw) {
        float[][] vectors = new float[raw.size()][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = raw.get(i).toArray();
        }
        sameVectors(what, fusion4j, vectors);
    }
}
