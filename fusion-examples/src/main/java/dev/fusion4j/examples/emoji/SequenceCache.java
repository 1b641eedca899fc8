package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.EmbeddingSequence;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.SequenceImageEncoder;
import dev.fusion4j.api.SequenceTextEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The names' token states and the images' regions of every record (beside their pooled embeddings), computed once
 * and kept in {@code <dataDir>/sequences-<hash>.bin}, the hash over the encoders' ids and the region grid: what
 * {@link CrossAttentionEvaluation} trains on. A file made by other encoders, or lacking a record, is recomputed whole.
 *
 * <p>Format (big-endian): int magic {@code "FJSC"}, UTF text id, UTF image id, int regions per side, int count, then per
 * record: UTF unified code, UTF name, and for text then image: int length, int width, the pooled floats, the
 * sequence floats. Written to a temporary file and renamed. Memory at the defaults: about 18 KB of tokens and 46 KB
 * of regions per emoji (1,906 emoji: 115 MB).
 */
public final class SequenceCache {
    private static final int MAGIC = 0x464A5343; // "FJSC"
    private static final int CHUNK = 256;

    private SequenceCache() {
    }

    /** Each record's name and image as a record with both sequences, keyed by unified code, in order. */
    public static Map<String, ModalityEmbeddings> load(Path dataDir, List<EmojiRecord> records,
            SequenceTextEncoder text, SequenceImageEncoder image, int regionsPerSide) {
        Path file = dataDir.resolve("sequences-" + hash(text.id() + "\n" + image.id() + "\n" + regionsPerSide)
                + ".bin");
        Map<String, ModalityEmbeddings> read = read(file, text, image, regionsPerSide, records);
        if (read != null) {
            return read;
        }
        System.out.printf(Locale.ROOT, "Encoding %d emoji with sequences (%s, %s, %d x %d regions)%n", records.size(),
                text.id(), image.id(), regionsPerSide, regionsPerSide);
        long t0 = System.nanoTime();
        List<EncodedSequence> names = new ArrayList<>();
        List<EncodedSequence> pictures = new ArrayList<>();
        for (int from = 0; from < records.size(); from += CHUNK) {
            List<EmojiRecord> chunk = records.subList(from, Math.min(records.size(), from + CHUNK));
            names.addAll(text.encodeSequenceAll(chunk.stream().map(EmojiRecord::name).toList()));
            pictures.addAll(image.encodeSequenceAll(chunk.stream().map(EmojiRecord::image).toList()));
            System.out.printf(Locale.ROOT, "  %d/%d%n", names.size(), records.size());
        }
        System.out.printf(Locale.ROOT, "Encoded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Map<String, ModalityEmbeddings> out = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            out.put(records.get(i).unified(), ModalityEmbeddings.builder().putEncoded(Modality.TEXT, names.get(i))
                    .putEncoded(Modality.IMAGE, pictures.get(i)).build());
        }
        write(file, out, records, text, image, regionsPerSide);
        return out;
    }

    private static String hash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Map<String, ModalityEmbeddings> read(Path file, SequenceTextEncoder text,
            SequenceImageEncoder image, int regions, List<EmojiRecord> records) {
        if (!Files.exists(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || !in.readUTF().equals(text.id()) || !in.readUTF().equals(image.id())
                    || in.readInt() != regions) {
                return null;
            }
            int count = in.readInt();
            Map<String, ModalityEmbeddings> all = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String unified = in.readUTF();
                names.put(unified, in.readUTF());
                ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
                b.putEncoded(Modality.TEXT, readEncoded(in));
                b.putEncoded(Modality.IMAGE, readEncoded(in));
                all.put(unified, b.build());
            }
            Map<String, ModalityEmbeddings> out = new LinkedHashMap<>();
            for (EmojiRecord r : records) {
                ModalityEmbeddings e = all.get(r.unified());
                if (e == null || !r.name().equals(names.get(r.unified()))) {
                    return null;
                }
                out.put(r.unified(), e);
            }
            return out;
        } catch (IOException | RuntimeException e) {
            System.out.println("Sequence cache " + file + " unusable (" + e + "): recomputing");
            return null;
        }
    }

    private static EncodedSequence readEncoded(DataInputStream in) throws IOException {
        int length = in.readInt();
        int width = in.readInt();
        float[] pooled = floats(in, width);
        float[] values = floats(in, length * width);
        return new EncodedSequence(dev.fusion4j.api.Embedding.of(pooled), EmbeddingSequence.of(width, values));
    }

    private static float[] floats(DataInputStream in, int n) throws IOException {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }

    private static void write(Path file, Map<String, ModalityEmbeddings> entries, List<EmojiRecord> records,
            SequenceTextEncoder text, SequenceImageEncoder image, int regions) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                out.writeInt(MAGIC);
                out.writeUTF(text.id());
                out.writeUTF(image.id());
                out.writeInt(regions);
                out.writeInt(records.size());
                for (EmojiRecord r : records) {
                    ModalityEmbeddings e = entries.get(r.unified());
                    out.writeUTF(r.unified());
                    out.writeUTF(r.name());
                    for (Modality m : List.of(Modality.TEXT, Modality.IMAGE)) {
                        EmbeddingSequence s = e.sequence(m).orElseThrow();
                        out.writeInt(s.length());
                        out.writeInt(s.width());
                        for (float v : e.get(m).orElseThrow().toArray()) {
                            out.writeFloat(v);
                        }
                        for (float v : s.toArray()) {
                            out.writeFloat(v);
                        }
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the sequence cache " + file, e);
        }
    }
}
