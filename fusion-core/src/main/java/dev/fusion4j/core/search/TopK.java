package dev.fusion4j.core.search;

/**
 * Bounded min-heap keeping the {@code capacity} best (score, row) pairs seen: higher score is better, and on
 * equal scores the lower row is better (so ties resolve to insertion order, deterministically).
 */
final class TopK {
    private final float[] scores;
    private final int[] rows;
    private int size;

    TopK(int capacity) {
        scores = new float[capacity];
        rows = new int[capacity];
    }

    int size() {
        return size;
    }

    /** Offers one candidate. */
    void offer(int row, float score) {
        if (size < scores.length) {
            int i = size++;
            scores[i] = score;
            rows[i] = row;
            siftUp(i);
        } else if (worse(scores[0], rows[0], score, row)) {
            scores[0] = score;
            rows[0] = row;
            siftDown(0);
        }
    }

    /** Offers every candidate held by {@code other}. */
    void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.rows[i], other.scores[i]);
        }
    }

    /** Empties the heap into {@code outRows}/{@code outScores}, best first; returns how many were written. */
    int drainBestFirst(int[] outRows, float[] outScores) {
        int n = size;
        for (int i = n - 1; i >= 0; i--) {
            outRows[i] = rows[0];
            outScores[i] = scores[0];
            size--;
            scores[0] = scores[size];
            rows[0] = rows[size];
            siftDown(0);
        }
        return n;
    }

    /** Whether (sa, ra) ranks below (sb, rb). */
    private static boolean worse(float sa, int ra, float sb, int rb) {
        return sa < sb || (sa == sb && ra > rb);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(scores[i], rows[i], scores[parent], rows[parent])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && worse(scores[right], rows[right], scores[left], rows[left])) {
                worst = right;
            }
            if (!worse(scores[worst], rows[worst], scores[i], rows[i])) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int r = rows[a];
        rows[a] = rows[b];
        rows[b] = r;
    }
}
