package dev.fusion4j.examples;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.models.BundledModels;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Embeds a few real sentences and photos with the bundled offline models and prints their cosine
 * similarity matrices. Run: {@code ./mvnw -q -pl fusion-examples exec:java}.
 */
public final class SimilarityDemo {
    private static final String[] IMAGES = {"dog.jpg", "chelsea.png", "horses.jpg", "eagle.jpg", "coffee.png", "rocket.png"};
    private static final String[] TEXTS = {
        "a dog playing on the grass", "a puppy running in a park", "a cat sleeping on a sofa",
        "a cup of hot coffee", "a rocket launching into space", "the stock market fell today"};

    private SimilarityDemo() {
    }

    public static void main(String[] args) throws IOException {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        try (TextEncoder text = BundledModels.miniLmText(); ImageEncoder image = BundledModels.mobileNetV2Image()) {
            out.printf(Locale.ROOT, "Loaded %s (%d-d) and %s (%d-d) in %.1f s%n", "all-MiniLM-L6-v2", text.dimension(),
                    "MobileNetV2", image.dimension(), (System.nanoTime() - t0) / 1e9);
            List<Embedding> textVectors = text.encodeAll(List.of(TEXTS));
            List<ImageInput> photos = new ArrayList<>();
            for (String name : IMAGES) {
                try (InputStream in = SimilarityDemo.class.getResourceAsStream("/samples/" + name)) {
                    photos.add(ImageInput.of(in));
                }
            }
            List<Embedding> imageVectors = image.encodeAll(photos);
            printMatrix(out, "Text cosine similarity (all-MiniLM-L6-v2)", TEXTS, textVectors);
            printMatrix(out, "Image cosine similarity (MobileNetV2 features)", IMAGES, imageVectors);
            out.printf(Locale.ROOT, "%nDone in %.1f s, fully offline.%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    static void printMatrix(PrintStream out, String title, String[] labels, List<Embedding> vectors) {
        out.println();
        out.println(title);
        int width = 0;
        for (String l : labels) {
            width = Math.max(width, Math.min(l.length(), 30));
        }
        out.print(" ".repeat(width + 2));
        for (int j = 0; j < labels.length; j++) {
            out.printf(Locale.ROOT, "%7s", "[" + j + "]");
        }
        out.println();
        for (int i = 0; i < labels.length; i++) {
            String l = labels[i].length() > 30 ? labels[i].substring(0, 30) : labels[i];
            out.printf(Locale.ROOT, "%-" + (width + 2) + "s", l);
            for (int j = 0; j < labels.length; j++) {
                out.printf(Locale.ROOT, "%7.3f", vectors.get(i).cosine(vectors.get(j)));
            }
            out.println();
        }
    }
}
