// Loaded before every notebook by run.sh: the imports and a tiny check helper.
import dev.fusion4j.api.*;
import dev.fusion4j.core.*;
import dev.fusion4j.encoders.*;
import dev.fusion4j.models.*;
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;

int failures = 0;
void check(boolean ok, String what) {
    if (ok) {
        System.out.println("  ok    " + what);
    } else {
        failures++;
        System.out.println("  FAIL  " + what);
    }
}
ImageInput sample(String name) throws Exception {
    try (var in = dev.fusion4j.examples.FusionDemo.class.getResourceAsStream("/samples/" + name)) {
        return ImageInput.of(in);
    }
}
