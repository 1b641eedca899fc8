package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fingerprints (SHA-256 of the output bits) of every strategy on fixed records, batched and one at a
 * time; run as a main class in a second JVM by {@link CrossJvmDeterminismTest}.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {
    }

    public static void main(String[] args) {
        fingerprints().forEach((k, v) -> System.out.println(k + " " + v));
    }

    /** Strategy name -> fingerprint, for the small specs (3 modalities) and the defaults at 384 + 1280. */
    public static Map<String, String> fingerprints() {
        Map<String, String> out = new LinkedHashMap<>();
        TestData.smallSpecs().forEach((name, spec) -> out.put(name, fingerprint(spec, TestData.smallDims(name))));
        Map<Modality, Integer> real = TestData.dims(Modality.TEXT, 384, Modality.IMAGE, 1280);
        out.put("default-concat", fingerprint(Fusions.concat(), real));
        out.put("default-weightedSum", fingerprint(Fusions.weightedSum(), real));
        out.put("default-attention", fingerprint(Fusions.attention(), real));
        out.put("default-full", fingerprint(Fusions.bilinear().full(), real));
        out.put("default-compact", fingerprint(Fusions.bilinear().compact(), real));
        out.put("default-lowRank", fingerprint(Fusions.bilinear().lowRank(256), real));
        out.put("default-crossAttention", fingerprint(Fusions.crossAttention(), real));
        return out;
    }

    private static String fingerprint(FusionSpec spec, Map<Modality, Integer> dims) {
        FusionStrategy s = spec.bind(dims);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<ModalityEmbeddings> records = TestData.allPatterns(dims, 99);
            if (s.usesSequences()) {
                records = TestData.withSequences(records, 98);
            }
            for (Embedding e : s.fuseAll(records)) {
                update(digest, e);
            }
            for (ModalityEmbeddings r : records) {
                update(digest, s.fuse(r));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            TestData.close(s);
        }
    }

    private static void update(MessageDigest digest, Embedding e) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * e.dimension());
        for (float v : e.toArray()) {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        digest.update(bytes.array());
    }
}
