package dev.fusion4j.encoders;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test fixtures on the class path (made by tools/resnet-fixture and tools/bert-fixture). */
final class Fixtures {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    private Fixtures() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    static float[] floats(String name) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(resource(name))).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(out);
        return out;
    }

    /** All numbers of the JSON value that follows {@code "key":} up to the next top-level key. */
    static double[] jsonNumbers(String json, String key) {
        Matcher keyMatch = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:").matcher(json);
        if (!keyMatch.find()) {
            throw new IllegalArgumentException("no key " + key);
        }
        int colon = keyMatch.end() - 1;
        int depth = 0;
        int end = colon + 1;
        for (; end < json.length(); end++) {
            char c = json.charAt(end);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if ((c == ',' || c == '}') && depth == 0) {
                break;
            }
        }
        Matcher m = NUMBER.matcher(json.substring(colon + 1, end));
        List<Double> values = new ArrayList<>();
        while (m.find()) {
            values.add(Double.parseDouble(m.group()));
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
