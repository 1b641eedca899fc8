package dev.fusion4j.core.train;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.internal.Checks;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The encoders and encoder identifiers a trainer's builder collects (shared by both trainers' builders). */
final class EncoderSettings {
    /** Per modality a {@link TextEncoder} or an {@link ImageEncoder}. */
    final Map<Modality, Object> encoders = new LinkedHashMap<>();
    final Map<Modality, String> ids = new LinkedHashMap<>();

    void put(Modality modality, TextEncoder encoder) {
        Checks.notNull("Text encoder for '" + modality + "'", encoder);
        put(modality, encoder, encoder.id());
    }

    void put(Modality modality, ImageEncoder encoder) {
        Checks.notNull("Image encoder for '" + modality + "'", encoder);
        put(modality, encoder, encoder.id());
    }

    private void put(Modality modality, Object encoder, String id) {
        encoders.put(Checks.notNull("Modality", modality), encoder);
        ids.put(modality, id);
    }

    void putIds(Map<Modality, String> given) {
        Checks.notNull("Encoder ids", given).forEach((m, id) -> ids.put(Checks.notNull("Modality", m),
                Checks.notNull("Encoder id of '" + m + "'", id)));
    }

    /** Refuses an encoder whose dimension disagrees with {@code .modalities(..)} (nothing to check without it). */
    void checkAgainst(Map<Modality, Integer> modalities) {
        if (modalities == null) {
            return;
        }
        encoders.forEach((m, e) -> {
            int d = e instanceof TextEncoder t ? t.dimension() : ((ImageEncoder) e).dimension();
            Integer expected = modalities.get(m);
            if (expected == null || expected != d) {
                throw new InvalidInputException("The encoder of modality '" + m + "' gives dimension " + d
                        + " but .modalities(..) says " + expected);
            }
        });
    }

    /** The identifiers of {@code modalities}, in their order, leaving out those without one. */
    static Map<Modality, String> idsFor(Collection<Modality> modalities, Map<Modality, String> ids) {
        Map<Modality, String> out = new LinkedHashMap<>();
        for (Modality m : modalities) {
            String id = ids.get(m);
            if (id != null) {
                out.put(m, id);
            }
        }
        return out;
    }
}
