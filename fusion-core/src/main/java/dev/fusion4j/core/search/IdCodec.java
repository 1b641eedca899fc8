package dev.fusion4j.core.search;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes and reads index ids when an {@link EmbeddingIndex} is saved and loaded. The {@link #name()} is stored in
 * the file, so loading with a different codec is refused instead of producing garbage ids.
 *
 * @param <K> the id type
 */
public interface IdCodec<K> {
    /** Largest id, in bytes, that {@link #strings()} accepts when reading (guards against corrupt lengths). */
    int MAX_STRING_BYTES = 1 << 20;

    /** A short, stable name identifying the encoding, e.g. {@code "string"}. */
    String name();

    /** Writes {@code id} (never null). */
    void write(K id, DataOutput out) throws IOException;

    /** Reads one id written by {@link #write}. */
    K read(DataInput in) throws IOException;

    /** {@code String} ids as length-prefixed UTF-8 (any length up to 1 MiB, unlike {@code writeUTF}). */
    static IdCodec<String> strings() {
        return new IdCodec<>() {
            @Override
            public String name() {
                return "string";
            }

            @Override
            public void write(String id, DataOutput out) throws IOException {
                byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }

            @Override
            public String read(DataInput in) throws IOException {
                int length = in.readInt();
                if (length < 0 || length > MAX_STRING_BYTES) {
                    throw new IOException("string id length " + length + " is out of range");
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /** {@code Long} ids as 8 big-endian bytes. */
    static IdCodec<Long> longs() {
        return new IdCodec<>() {
            @Override
            public String name() {
                return "long";
            }

            @Override
            public void write(Long id, DataOutput out) throws IOException {
                out.writeLong(id);
            }

            @Override
            public Long read(DataInput in) throws IOException {
                return in.readLong();
            }
        };
    }
}
