package dev.fusion4j.examples;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.models.BundledModels;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Load time and median single/batch latency of the bundled encoders (the figures of docs/models.md).
 * Run: {@code ./mvnw -q -pl fusion-examples exec:java -Ddemo.main=dev.fusion4j.examples.ModelTimings}.
 * Not a benchmark harness (see fusion-benchmarks for JMH): a quick, repeatable look on one machine.
 */
public final class ModelTimings {
    private static final int ROUNDS = 15;

    private ModelTimings() {
    }

    public static void main(String[] args) throws IOException {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        long t0 = System.nanoTime();
        try (TextEncoder warm = BundledModels.miniLmText()) {
            warm.encode("engine warm-up");
        }
        System.out.printf(Locale.ROOT, "first load incl. engine start: %.2f s%n", (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        try (TextEncoder text = BundledModels.miniLmText()) {
            double load = (System.nanoTime() - t1) / 1e9;
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                batch.add("a short sentence number " + i + " about dogs");
            }
            double one = medianMillis(() -> text.encode("a dog playing on the grass"));
            double b32 = medianMillis(() -> text.encodeAll(batch));
            System.out.printf(Locale.ROOT, "MiniLM      load %.2f s | batch 1: %.1f ms | batch 32: %.1f ms (%.0f texts/s)%n",
                    load, one, b32, 32_000 / b32);
        }
        long t2 = System.nanoTime();
        try (ImageEncoder image = BundledModels.mobileNetV2Image()) {
            double load = (System.nanoTime() - t2) / 1e9;
            byte[] png;
            try (InputStream in = ModelTimings.class.getResourceAsStream("/samples/chelsea.png")) {
                png = in.readAllBytes();
            }
            List<ImageInput> batch = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                batch.add(ImageInput.of(png));
            }
            double one = medianMillis(() -> image.encode(ImageInput.of(png)));
            double b32 = medianMillis(() -> image.encodeAll(batch));
            System.out.printf(Locale.ROOT, "MobileNetV2 load %.2f s | batch 1: %.1f ms | batch 32: %.1f ms (%.0f images/s)%n",
                    load, one, b32, 32_000 / b32);
        }
    }

    private static double medianMillis(Supplier<?> call) {
        for (int i = 0; i < 3; i++) {
            call.get();
        }
        double[] ms = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            call.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ROUNDS / 2];
    }
}
