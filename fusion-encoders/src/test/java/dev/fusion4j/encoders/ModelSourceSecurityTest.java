package dev.fusion4j.encoders;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.encoders.internal.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Model files are code-like inputs: pin their hash and the directories they may come from. */
class ModelSourceSecurityTest {
    private static final Path ONNX = Fixtures.resource("models/resnet-tiny/resnet-tiny.onnx");

    @Test
    void aMatchingSha256LoadsAndAnyOtherIsRefused() {
        String good = ModelFiles.sha256(ONNX, "test");
        try (CnnImageEncoder enc = CnnImageEncoder.builder().model(ModelSource.path(ONNX).sha256(good)).build()) {
            assertThat(enc.dimension()).isEqualTo(64);
        }
        String bad = "0".repeat(64);
        assertThatThrownBy(() -> CnnImageEncoder.builder().model(ModelSource.path(ONNX).sha256(bad)).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining(good).hasMessageContaining("refusing");
        assertThatThrownBy(() -> ModelSource.path(ONNX).sha256("abc")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anArchiveWithPathTraversalNamesIsRefusedAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("models"));
        Path zip = dir.resolve("model.pt");
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : new String[] {"../../evil.txt", "/tmp/evil-absolute.txt", "model/data.pkl"}) {
                out.putNextEntry(new java.util.zip.ZipEntry(name));
                out.write("payload".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> CnnImageEncoder.builder().model(ModelSource.path(zip)).build())
                .isInstanceOf(ModelLoadException.class);
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        assertThat(tmp.getParent().resolve("evil.txt")).doesNotExist();
        assertThat(Path.of("/tmp/evil-absolute.txt")).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.pt");
        }
    }

    @Test
    void aModelOutsideTheAllowedDirectoriesIsRefused(@TempDir Path tmp) throws Exception {
        try (CnnImageEncoder enc = CnnImageEncoder.builder()
                .model(ModelSource.path(ONNX).allowedDirectories(ONNX.getParent())).build()) {
            assertThat(enc.dimension()).isEqualTo(64);
        }
        assertThatThrownBy(() -> CnnImageEncoder.builder()
                .model(ModelSource.path(ONNX).allowedDirectories(tmp)).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("outside the allowed directories");
        // a symbolic link inside the allowed directory that points outside it is refused too
        Path link = Files.createSymbolicLink(tmp.resolve("model.onnx"), ONNX);
        assertThatThrownBy(() -> CnnImageEncoder.builder()
                .model(ModelSource.path(link).allowedDirectories(tmp)).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("outside");
        // a path with .. segments is resolved before the check
        Path sneaky = tmp.resolve("..").resolve(tmp.getFileName()).resolve("..").resolve("..")
                .resolve(ONNX.toAbsolutePath().toString().substring(1));
        assertThatThrownBy(() -> CnnImageEncoder.builder()
                .model(ModelSource.path(sneaky).allowedDirectories(tmp)).build())
                .isInstanceOf(ModelLoadException.class);
    }
}
