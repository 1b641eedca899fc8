package dev.fusion4j.encoders.internal;

import dev.fusion4j.encoders.CnnImageEncoder;
import dev.fusion4j.encoders.ModelSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ONNX Runtime's per-JVM {@code onnxruntime-java<digits>} extraction directory, and DJL's per-model
 * {@code ort-model*} directory, do not outlive loading.
 */
class OrtTempFilesTest {
    private static final String LEFT = "ORT_DIRECTORIES_AFTER_LOAD ";

    @Test
    @EnabledOnOs(OS.LINUX)
    void aJvmThatLoadsAnOnnxModelLeavesNoOnnxRuntimeDirectory(@TempDir Path tmp) throws Exception {
        Path model = Path.of(OrtTempFilesTest.class.getClassLoader().getResource("models/resnet-tiny/resnet-tiny.onnx")
                .toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + tmp, "-Dai.djl.offline=true", "-Xmx512m", Child.class.getName(), model.toString())
                .redirectErrorStream(true).start();
        String output;
        try (InputStream in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();

        assertThat(output).as("while the child ran, after loading").contains(LEFT + "[]");
        assertThat(ortDirectories(tmp)).as("after the child exited").isEmpty();
    }

    @Test
    void onlyMappedLibrariesInAnOnnxRuntimeDirectoryDirectlyUnderTmpAreDeleted(@TempDir Path root) throws IOException {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path ours = Files.createDirectories(tmp.resolve("onnxruntime-java123"));
        Path ortLib = Files.createFile(ours.resolve("libonnxruntime.so"));
        Path jniLib = Files.createFile(ours.resolve("libonnxruntime4j_jni.so"));
        Path another = Files.createDirectories(tmp.resolve("onnxruntime-java456")); // another JVM's, not mapped here
        Path anotherLib = Files.createFile(another.resolve("libonnxruntime.so"));
        Path crowded = Files.createDirectories(tmp.resolve("onnxruntime-java789")); // mapped, but holds more
        Path crowdedLib = Files.createFile(crowded.resolve("libonnxruntime.so"));
        Path crowdedOther = Files.createFile(crowded.resolve("notes.txt"));
        Path elsewhere = Files.createDirectories(root.resolve("opt/onnxruntime-java1")); // not under tmp
        Path elsewhereLib = Files.createFile(elsewhere.resolve("libonnxruntime.so"));
        Path nested = Files.createDirectories(tmp.resolve("x/onnxruntime-java2")); // not directly under tmp
        Path nestedLib = Files.createFile(nested.resolve("libonnxruntime.so"));
        Path foreignName = Files.createDirectories(tmp.resolve("onnxruntime-javaX1"));
        Path foreignNameLib = Files.createFile(foreignName.resolve("libonnxruntime.so"));
        Path otherLib = Files.createFile(ours.resolve("libtorch.so"));
        List<String> maps = List.of(
                "7f0000000000-7f0000001000 r-xp 00000000 08:01 1234                       " + ortLib,
                "7f0000001000-7f0000002000 r--p 00001000 08:01 1234                       " + ortLib,
                "7f0000002000-7f0000003000 r-xp 00000000 08:01 1235                       " + jniLib,
                "7f0000003000-7f0000004000 r-xp 00000000 08:01 1236                       " + crowdedLib,
                "7f0000004000-7f0000005000 r-xp 00000000 08:01 1237                       " + elsewhereLib,
                "7f0000005000-7f0000006000 r-xp 00000000 08:01 1238                       " + nestedLib,
                "7f0000006000-7f0000007000 r-xp 00000000 08:01 1239                       " + foreignNameLib,
                "7f0000007000-7f0000008000 r-xp 00000000 08:01 1240                       " + otherLib,
                "7f0000008000-7f0000009000 r-xp 00000000 08:01 1241                       " + anotherLib + " (deleted)",
                "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]",
                "not a maps line");

        List<Path> removed = OrtTempFiles.removeExtracted(maps, tmp);

        // libtorch.so (not ONNX Runtime's) keeps "ours" from being removed; notes.txt keeps "crowded"
        assertThat(removed).containsExactlyInAnyOrder(ortLib, jniLib, crowdedLib);
        assertThat(ours).exists();
        assertThat(crowded).exists();
        assertThat(otherLib).exists();
        assertThat(anotherLib).exists();
        assertThat(crowdedOther).exists();
        assertThat(elsewhereLib).exists();
        assertThat(nestedLib).exists();
        assertThat(foreignNameLib).exists();

        Files.delete(otherLib);
        Path again = Files.createFile(ours.resolve("libonnxruntime.so"));
        assertThat(OrtTempFiles.removeExtracted(List.of("7f00-7f01 r-xp 00000000 08:01 1 " + again), tmp))
                .containsExactly(again, ours);
        assertThat(ours).doesNotExist();
    }

    private static List<Path> ortDirectories(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("onnxruntime-java")
                    || p.getFileName().toString().startsWith("ort-model")).toList();
        }
    }

    /**
     * Loads an ONNX model through fusion4j from a file and from the class path, then prints the
     * onnxruntime-java* (ONNX Runtime) and ort-model* (DJL, class-path loading) entries of its tmpdir.
     */
    static final class Child {
        public static void main(String[] args) throws IOException {
            try (CnnImageEncoder encoder = CnnImageEncoder.builder().model(ModelSource.path(Path.of(args[0]))).build();
                 CnnImageEncoder fromClasspath = CnnImageEncoder.builder()
                         .model(ModelSource.classpath("models/resnet-tiny/resnet-tiny.onnx")).build()) {
                System.out.println("dimensions " + encoder.dimension() + " " + fromClasspath.dimension());
                System.out.println(LEFT + ortDirectories(Path.of(System.getProperty("java.io.tmpdir"))));
            }
        }
    }
}
