package dev.fusion4j.core.train;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.internal.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single-file format of a saved {@link FusionModel}. All integers little-endian:
 *
 * <pre>
 *   offset  size        content
 *   0       8           magic  89 46 34 4A 4D 44 4C 0A   ("\x89F4JMDL\n")
 *   8       4           uint32 H: header length in bytes
 *   12      H           header: UTF-8 JSON ({@link ModelHeader})
 *   12+H    4           uint32 P: number of parameters
 *   then P times:
 *           2           uint16 N: name length;  N bytes UTF-8 name
 *           1           uint8 R: rank;          R x int64 dimensions
 *           4 x Π dims  float32 values, row-major
 *   end-32  32          SHA-256 of every byte before it
 * </pre>
 *
 * <p>Reading checks, in order: the magic and header length (else {@link ModelLoadException}), the header's
 * {@code formatVersion} (newer than {@value ModelHeader#FORMAT_VERSION}, or older than
 * {@value ModelHeader#OLDEST_READABLE_VERSION}: {@link IncompatibleModelException}),
 * the SHA-256 (a truncated or altered file: {@link ModelLoadException}), then every parameter against the
 * bounds of the file. Writing goes to a temporary file in the target's directory, which is forced to disk and
 * atomically renamed over the target, so a crash leaves either the old file or the new one, never half of one.
 */
final class ModelFile {
    static final byte[] MAGIC = {(byte) 0x89, 'F', '4', 'J', 'M', 'D', 'L', '\n'};
    private static final int DIGEST = 32;

    /** What a file holds: the header and every parameter with its shape. */
    record Contents(ModelHeader header, Map<String, float[]> values, Map<String, Shape> shapes) {
    }

    private ModelFile() {
    }

    /** What a file holds before its header is interpreted: the parsed JSON and every parameter with its shape. */
    record RawContents(JsonObject header, Map<String, float[]> values, Map<String, Shape> shapes) {
    }

    static void write(Path target, ModelHeader header, Map<String, float[]> values, Map<String, Shape> shapes) {
        write(target, header.toJson(), values, shapes);
    }

    /** Writes {@code json} as the header of a file in this format (the layout above), atomically. */
    static void write(Path target, String json, Map<String, float[]> values, Map<String, Shape> shapes) {
        byte[] bytes = encode(json, values, shapes);
        AtomicFiles.write(target, "the model", out -> out.write(bytes));
    }

    static byte[] encode(ModelHeader header, Map<String, float[]> values, Map<String, Shape> shapes) {
        return encode(header.toJson(), values, shapes);
    }

    static byte[] encode(String header, Map<String, float[]> values, Map<String, Shape> shapes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        long size = MAGIC.length + 4L + json.length + 4 + DIGEST;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 1 + 8L * shapes.get(e.getKey()).dimension()
                    + 4L * e.getValue().length;
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new FusionException("The model is too large to save in one file (" + size + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(json.length).put(json).putInt(values.size());
        values.forEach((name, v) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            Shape s = shapes.get(name);
            b.putShort((short) n.length).put(n).put((byte) s.dimension());
            for (long d : s.getShape()) {
                b.putLong(d);
            }
            b.asFloatBuffer().put(v);
            b.position(b.position() + 4 * v.length);
        });
        b.put(sha256(b.array(), b.position()));
        return b.array();
    }

    static Contents read(Path file) {
        return decode(bytes(file), file.toString());
    }

    /**
     * Reads a file of this layout whose header {@code checkVersion} vets (it throws for a foreign or unreadable
     * header) after the magic and the header length, before the SHA-256 and the parameters.
     */
    static RawContents read(Path file, java.util.function.Consumer<JsonObject> checkVersion) {
        return decode(bytes(file), file.toString(), checkVersion);
    }

    private static byte[] bytes(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException("No model file at " + file, e);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot read the model file " + file + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    static Contents decode(byte[] bytes, String where) {
        RawContents raw = decode(bytes, where, json -> checkVersion(json, where));
        return new Contents(ModelHeader.fromJson(raw.header()), raw.values(), raw.shapes());
    }

    private static void checkVersion(JsonObject json, String where) {
        int version = ModelHeader.formatVersion(json);
        if (version > ModelHeader.FORMAT_VERSION) {
            throw new IncompatibleModelException(where + " was written in model format version " + version
                    + " but this fusion4j reads versions up to " + ModelHeader.FORMAT_VERSION
                    + ": upgrade fusion4j to load it");
        }
        if (version < ModelHeader.OLDEST_READABLE_VERSION) {
            throw new IncompatibleModelException(where + " was written in model format version " + version
                    + ", whose unimodal answers came from jointly trained auxiliary paths; this fusion4j reads"
                    + " versions " + ModelHeader.OLDEST_READABLE_VERSION + " to " + ModelHeader.FORMAT_VERSION
                    + " (fitted unimodal heads): train the model again with this version");
        }
    }

    static RawContents decode(byte[] bytes, String where, java.util.function.Consumer<JsonObject> checkVersion) {
        if (bytes.length < MAGIC.length + 4 + DIGEST || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new ModelLoadException(where + " is not a fusion4j model file (bad magic bytes or too short)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.position(MAGIC.length);
        long headerLength = Integer.toUnsignedLong(b.getInt());
        if (headerLength > bytes.length - b.position() - DIGEST) {
            throw new ModelLoadException(where + " is truncated: its header claims " + headerLength + " bytes");
        }
        JsonObject json = ModelHeader.parse(new String(bytes, b.position(), (int) headerLength, StandardCharsets.UTF_8));
        checkVersion.accept(json);
        byte[] expected = Arrays.copyOfRange(bytes, bytes.length - DIGEST, bytes.length);
        if (!MessageDigest.isEqual(expected, sha256(bytes, bytes.length - DIGEST))) {
            throw new ModelLoadException(where + " fails its SHA-256 check: the file is truncated or was altered");
        }
        b.position(MAGIC.length + 4 + (int) headerLength);
        int end = bytes.length - DIGEST;
        try {
            int count = b.getInt();
            Map<String, float[]> values = new LinkedHashMap<>();
            Map<String, Shape> shapes = new LinkedHashMap<>();
            for (int p = 0; p < count; p++) {
                byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
                b.get(name);
                int rank = Byte.toUnsignedInt(b.get());
                long[] dims = new long[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    dims[i] = b.getLong();
                    if (dims[i] < 0 || (size *= dims[i]) > (end - b.position()) / 4) {
                        throw new ModelLoadException(where + ": parameter " + new String(name, StandardCharsets.UTF_8)
                                + " claims a shape that does not fit in the file");
                    }
                }
                float[] v = new float[(int) size];
                b.asFloatBuffer().get(v);
                b.position(b.position() + 4 * v.length);
                String n = new String(name, StandardCharsets.UTF_8);
                values.put(n, v);
                shapes.put(n, new Shape(dims));
            }
            if (b.position() != end) {
                throw new ModelLoadException(where + " has " + (end - b.position()) + " unexpected bytes after its"
                        + " parameters");
            }
            return new RawContents(json, values, shapes);
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelLoadException(where + " ends inside its parameters: the file is damaged", e);
        }
    }

    static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
