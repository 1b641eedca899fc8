package dev.fusion4j.core.train;

import dev.fusion4j.api.Modality;
import dev.fusion4j.core.Fusions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

/**
 * Child-JVM program for the crash-safety test: trains two small models, then saves them alternately to
 * the same file until killed, printing "saved N SHA256" after each save with the hash of what it wrote.
 */
public final class ModelSaveLoop {
    private ModelSaveLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Synthetic.init();
        FusionModel[] models = new FusionModel[2];
        for (int i = 0; i < 2; i++) {
            models[i] = FusionTrainer.builder().strategy(Fusions.concat()).hiddenLayers(24, 16).epochs(3)
                    .encoderIds(Map.of(Modality.TEXT, "fake-text:32", Modality.IMAGE, "fake-image:48"))
                    .listener(TrainingListener.none()).seed(i + 1).build()
                    .fit(Synthetic.views(20, 4, 0.3, 0.3, 11));
        }
        for (int generation = 1; ; generation++) {
            models[generation % 2].save(file);
            byte[] written = Files.readAllBytes(file);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(written));
            System.out.println("saved " + generation + " " + hash);
            System.out.flush();
        }
    }
}
