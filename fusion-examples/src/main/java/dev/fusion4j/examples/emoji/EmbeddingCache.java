package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.TextEncoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import java.util.function.Function;

/**
 * Embeds every record's name and image once and keeps the vectors in {@code <dataDir>/cache-<hash>.bin}, the hash
 * taken over the two encoders' {@link TextEncoder#id() ids}. Later loads read the file; records it lacks (or whose
 * name changed) are embedded and added, and a file that is damaged or made by other encoders is recomputed.
 *
 * <p>File format (big-endian, {@link DataOutputStream}): int magic {@code "FJEC"}, int version, UTF text encoder id,
 * UTF image encoder id, int count, int text dimension, int image dimension, then per record: UTF unified code, UTF
 * name, the text floats, the image floats. It is written to a temporary file and renamed, so a crash never leaves
 * a half file.
 */
public final class EmbeddingCache {
    static final int MAGIC = 0x464A4543;  // "FJEC"
    static final int VERSION = 1;
    private static final int CHUNK = 256;

    private EmbeddingCache() {
    }

    /**
     * The embeddings of {@code records}, from the cache where possible; prints progress to standard output when
     * it has to embed.
     *
     * @param dataDir the folder of the cache file (created if missing)
     * @throws IllegalArgumentException if two records share a unified code
     * @throws UncheckedIOException if the cache cannot be written
     */
    public static CachedEmbeddings load(Path dataDir, List<EmojiRecord> records, TextEncoder text,
            ImageEncoder image) {
        Path file = cacheFile(dataDir, text, image);
        Map<String, Entry> cached = read(file, text, image);
        List<EmojiRecord> missing = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (EmojiRecord r : records) {
            if (seen.put(r.unified(), r.name()) != null) {
                throw new IllegalArgumentException("Two records share the unified code " + r.unified());
            }
            Entry e = cached.get(r.unified());
            if (e == null || !e.name().equals(r.name())) {
                missing.add(r);
            }
        }
        if (!missing.isEmpty()) {
            cached.putAll(embed(missing, text, image));
            write(file, cached, text, image);
        }
        Map<String, Embedding> texts = new LinkedHashMap<>();
        Map<String, Embedding> images = new LinkedHashMap<>();
        for (EmojiRecord r : records) {
            Entry e = cached.get(r.unified());
            texts.put(r.unified(), Embedding.of(e.text()));
            images.put(r.unified(), Embedding.of(e.image()));
        }
        return new CachedEmbeddings(texts, images, text.dimension(), image.dimension());
    }

    /** The cache file for these encoders: {@code cache-<first 16 hex digits of SHA-256 of their ids>.bin}. */
    public static Path cacheFile(Path dataDir, TextEncoder text, ImageEncoder image) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (text.id() + "\n" + image.id()).getBytes(StandardCharsets.UTF_8));
            return dataDir.resolve("cache-" + HexFormat.of().formatHex(digest, 0, 8) + ".bin");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** One cached record. */
    private record Entry(String name, float[] text, float[] image) {
    }

    private static Map<String, Entry> embed(List<EmojiRecord> records, TextEncoder text, ImageEncoder image) {
        System.out.printf(Locale.ROOT, "Embedding %d emoji (names with %s, images with %s)%n", records.size(),
                text.id(), image.id());
        long t0 = System.nanoTime();
        List<Embedding> texts = inChunks(records, EmojiRecord::name, text::encodeAll, "names");
        long t1 = System.nanoTime();
        List<Embedding> images = inChunks(records, EmojiRecord::image, image::encodeAll, "images");
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "Embedded %d names in %.1f s and %d images in %.1f s%n", records.size(),
                (t1 - t0) / 1e9, records.size(), (t2 - t1) / 1e9);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            EmojiRecord r = records.get(i);
            entries.put(r.unified(), new Entry(r.name(), texts.get(i).toArray(), images.get(i).toArray()));
        }
        return entries;
    }

    /** Encodes in chunks of {@value #CHUNK} (each batched by the encoder), printing progress after each. */
    private static <T> List<Embedding> inChunks(List<EmojiRecord> records, Function<EmojiRecord, T> input,
            Function<List<T>, List<Embedding>> encodeAll, String what) {
        List<Embedding> out = new ArrayList<>(records.size());
        for (int from = 0; from < records.size(); from += CHUNK) {
            List<T> chunk = records.subList(from, Math.min(records.size(), from + CHUNK)).stream().map(input).toList();
            out.addAll(encodeAll.apply(chunk));
            System.out.printf(Locale.ROOT, "  %s %d/%d%n", what, out.size(), records.size());
        }
        return out;
    }

    /** The entries of a valid cache file, or an empty (modifiable) map when there is none or it is unusable. */
    private static Map<String, Entry> read(Path file, TextEncoder text, ImageEncoder image) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            check(in.readInt() == MAGIC, "not an embedding cache");
            check(in.readInt() == VERSION, "another format version");
            check(in.readUTF().equals(text.id()) && in.readUTF().equals(image.id()), "made by other encoders");
            int count = in.readInt();
            int textDim = in.readInt();
            int imageDim = in.readInt();
            check(count >= 0 && textDim == text.dimension() && imageDim == image.dimension(),
                    "count or dimensions do not match the encoders");
            for (int i = 0; i < count; i++) {
                String unified = in.readUTF();
                Entry e = new Entry(in.readUTF(), floats(in, textDim), floats(in, imageDim));
                check(entries.put(unified, e) == null, "code " + unified + " appears twice");
            }
            check(in.read() < 0, "data after the last record");
            return entries;
        } catch (NoSuchFileException e) {
            return entries;
        } catch (EOFException e) {
            return unusable(file, "truncated");
        } catch (IOException | IllegalArgumentException e) {  // IllegalArgumentException: NaN/Inf or bad UTF
            return unusable(file, e.getMessage());
        }
    }

    private static Map<String, Entry> unusable(Path file, String reason) {
        System.out.println("Embedding cache " + file + " is unusable (" + reason + "): recomputing it");
        return new LinkedHashMap<>();
    }

    private static void check(boolean ok, String problem) throws IOException {
        if (!ok) {
            throw new IOException(problem);
        }
    }

    private static float[] floats(DataInputStream in, int n) throws IOException {
        byte[] bytes = new byte[n * Float.BYTES];
        in.readFully(bytes);
        float[] values = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
        for (float v : values) {
            check(Float.isFinite(v), "a value is NaN or infinite");
        }
        return values;
    }

    private static void write(Path file, Map<String, Entry> entries, TextEncoder text, ImageEncoder image) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            try {
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                        1 << 16))) {
                    out.writeInt(MAGIC);
                    out.writeInt(VERSION);
                    out.writeUTF(text.id());
                    out.writeUTF(image.id());
                    out.writeInt(entries.size());
                    out.writeInt(text.dimension());
                    out.writeInt(image.dimension());
                    for (Map.Entry<String, Entry> e : entries.entrySet()) {
                        out.writeUTF(e.getKey());
                        out.writeUTF(e.getValue().name());
                        writeFloats(out, e.getValue().text());
                        writeFloats(out, e.getValue().image());
                    }
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the embedding cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }
}
