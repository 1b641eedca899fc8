package dev.fusion4j.core.cluster;

import dev.fusion4j.api.Embedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded Gaussian blobs around random centres: {@code clusters × perCluster} points, cluster-major. */
final class PlantedClusters {
    final List<Embedding> points = new ArrayList<>();
    final int[] truth;

    PlantedClusters(long seed, int clusters, int perCluster, int d, double noise) {
        Random random = new Random(seed);
        truth = new int[clusters * perCluster];
        for (int c = 0; c < clusters; c++) {
            float[] centre = new float[d];
            for (int j = 0; j < d; j++) {
                centre[j] = (float) random.nextGaussian();
            }
            for (int p = 0; p < perCluster; p++) {
                float[] x = new float[d];
                for (int j = 0; j < d; j++) {
                    x[j] = (float) (centre[j] + noise * random.nextGaussian());
                }
                truth[points.size()] = c;
                points.add(Embedding.of(x));
            }
        }
    }
}
