package dev.fusion4j.core.train;

import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.internal.PackedSequences;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Row operations on packed training records: gathering batches, modality dropout, the stratified split. */
final class PackedExamples {
    private PackedExamples() {
    }

    /** The rows {@code rows} of {@code all}, in that order (copies). */
    static PackedBatch gather(PackedBatch all, int[] rows) {
        int count = all.inputs().length;
        float[][] inputs = new float[count][];
        for (int m = 0; m < count; m++) {
            int d = all.inputs()[m].length / Math.max(1, all.size());
            inputs[m] = new float[rows.length * d];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(all.inputs()[m], rows[r] * d, inputs[m], r * d, d);
            }
        }
        float[] mask = new float[rows.length * count];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(all.mask(), rows[r] * count, mask, r * count, count);
        }
        PackedSequences[] sequences = null;
        if (all.sequences() != null) {
            sequences = new PackedSequences[count];
            for (int m = 0; m < count; m++) {
                sequences[m] = all.sequences()[m].gather(rows);
            }
        }
        return new PackedBatch(rows.length, inputs, mask, sequences);
    }

    /**
     * Modality dropout: each present modality of each record is dropped (input zeroed, mask bit cleared, its
     * sequence, if any, fully masked) with
     * probability {@code p}; when that would drop every present modality of a record, one of them, chosen
     * uniformly, is kept. Returns {@code batch} itself when nothing was dropped.
     */
    static PackedBatch dropModalities(PackedBatch batch, double p, SplittableRandom random) {
        if (p <= 0) {
            return batch;
        }
        int count = batch.inputs().length;
        float[] mask = batch.mask().clone();
        boolean changed = false;
        int[] present = new int[count];
        for (int r = 0; r < batch.size(); r++) {
            int n = 0;
            for (int m = 0; m < count; m++) {
                if (batch.present(r, m)) {
                    present[n++] = m;
                }
            }
            int kept = 0;
            boolean[] drop = new boolean[n];
            for (int i = 0; i < n; i++) {
                drop[i] = random.nextDouble() < p;
                kept += drop[i] ? 0 : 1;
            }
            if (kept == 0 && n > 0) {
                drop[random.nextInt(n)] = false;
            }
            for (int i = 0; i < n; i++) {
                if (drop[i]) {
                    mask[r * count + present[i]] = 0f;
                    changed = true;
                }
            }
        }
        if (!changed) {
            return batch;
        }
        float[][] inputs = new float[count][];
        PackedSequences[] sequences = batch.sequences() == null ? null : new PackedSequences[count];
        for (int m = 0; m < count; m++) {
            inputs[m] = batch.inputs()[m].clone();
            int d = inputs[m].length / Math.max(1, batch.size());
            boolean[] dropped = new boolean[batch.size()];
            for (int r = 0; r < batch.size(); r++) {
                if (mask[r * count + m] == 0f) {
                    Arrays.fill(inputs[m], r * d, (r + 1) * d, 0f);
                    dropped[r] = true;
                }
            }
            if (sequences != null) {
                sequences[m] = batch.sequences()[m].masking(dropped);
            }
        }
        return new PackedBatch(batch.size(), inputs, mask, sequences);
    }

    /**
     * A stratified split: within each class (classes in label order, examples in their order) a seeded shuffle
     * puts {@code round(n_c · fraction)} examples into validation, but always leaves at least one in training.
     *
     * @return {@code [train, validation]} indices, each sorted ascending
     */
    static int[][] stratifiedSplit(int[] labels, double fraction, long seed) {
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] validation = new boolean[labels.length];
        int held = 0;
        for (List<Integer> members : byClass.values()) {
            int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(idx, random);
            int take = (int) Math.min(idx.length - 1L, Math.round(idx.length * fraction));
            for (int i = 0; i < take; i++) {
                validation[idx[i]] = true;
            }
            held += take;
        }
        int[] train = new int[labels.length - held];
        int[] val = new int[held];
        int t = 0;
        int v = 0;
        for (int i = 0; i < labels.length; i++) {
            if (validation[i]) {
                val[v++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new int[][] {train, val};
    }

    /** Fisher-Yates shuffle in place. */
    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
