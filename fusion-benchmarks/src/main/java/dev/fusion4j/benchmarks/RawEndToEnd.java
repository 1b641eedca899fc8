package dev.fusion4j.benchmarks;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageInput;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The raw parts of one end-to-end call on (text, image) records, written as an application would by hand:
 * {@link #sum} runs the raw text baseline then the raw image baseline (decoding included) on the caller's
 * thread; {@link #overlap} runs the raw image baseline on a second thread while the text encodes. Both end
 * with what the default concat fusion does.
 */
final class RawEndToEnd implements AutoCloseable {
    private final RawMiniLm text;
    private final RawMobileNet image;
    private final ExecutorService second;

    RawEndToEnd(int intraOpThreads, Boolean spinning) {
        text = new RawMiniLm(intraOpThreads, spinning);
        image = new RawMobileNet(intraOpThreads, spinning);
        second = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raw-image");
            t.setDaemon(true);
            return t;
        });
    }

    List<Embedding> sum(List<String> texts, List<ImageInput> images) {
        return concat(text.encode(texts), image.encode(images));
    }

    List<Embedding> overlap(List<String> texts, List<ImageInput> images) throws InterruptedException,
            ExecutionException {
        Future<float[][]> imageFeatures = second.submit(() -> image.encode(images));
        float[][] textFeatures = text.encode(texts);
        return concat(textFeatures, imageFeatures.get());
    }

    /** What the default concat fusion does: each part L2-normalised, concatenated, the result normalised. */
    private static List<Embedding> concat(float[][] t, float[][] i) {
        List<Embedding> out = new ArrayList<>(t.length);
        for (int r = 0; r < t.length; r++) {
            float[] a = RawOrt.l2Normalized(t[r]);
            float[] b = RawOrt.l2Normalized(i[r]);
            float[] v = new float[a.length + b.length];
            System.arraycopy(a, 0, v, 0, a.length);
            System.arraycopy(b, 0, v, a.length, b.length);
            out.add(Embedding.of(RawOrt.l2Normalized(v)));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        second.shutdownNow();
        try {
            text.close();
        } finally {
            image.close();
        }
    }
}
