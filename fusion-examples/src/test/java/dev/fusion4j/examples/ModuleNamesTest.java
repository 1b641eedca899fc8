package dev.fusion4j.examples;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.encoders.BertTextEncoder;
import dev.fusion4j.models.BundledModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each library jar is the automatic module its manifest names (not one derived from the file name), as the JDK's
 * module finder reads it. Checks the jars this module is tested against: in {@code mvn verify} the reactor hands
 * over the packaged jars; after {@code mvn test} alone they are class directories and the check is skipped.
 */
class ModuleNamesTest {
    static Stream<Arguments> libraries() {
        return Stream.of(
                arguments(Embedding.class, "dev.fusion4j.api"),
                arguments(Fusion.class, "dev.fusion4j.core"),
                arguments(BertTextEncoder.class, "dev.fusion4j.encoders"),
                arguments(BundledModels.class, "dev.fusion4j.models"),
                // by name: loading it would need Spark, which fusion-spark leaves to the cluster (provided scope)
                arguments("dev.fusion4j.spark.FusionEmbedderTransformer", "dev.fusion4j.spark"));
    }

    @ParameterizedTest
    @MethodSource("libraries")
    void eachLibraryJarIsTheModuleItsManifestNames(Object type, String module) throws Exception {
        String name = type instanceof Class<?> c ? c.getName() : (String) type;
        String packageName = name.substring(0, name.lastIndexOf('.'));
        Path jar = jarOf(name);
        assumeTrue(Files.isRegularFile(jar), () -> jar + " is not a jar yet (mvn verify checks the jar)");
        Set<ModuleReference> found = ModuleFinder.of(jar).findAll();
        assertThat(found).hasSize(1);
        ModuleDescriptor descriptor = found.iterator().next().descriptor();
        assertThat(descriptor.name()).as("module name of %s", jar.getFileName()).isEqualTo(module);
        assertThat(descriptor.isAutomatic()).isTrue();
        // every package lies under the module's name, so no fusion4j package is split across two jars
        assertThat(descriptor.packages()).contains(packageName)
                .allMatch(p -> p.equals(module) || p.startsWith(module + "."));
    }

    /** The jar (or class directory) holding the class {@code name}, found without loading the class. */
    private static Path jarOf(String name) throws Exception {
        URL url = ModuleNamesTest.class.getClassLoader().getResource(name.replace('.', '/') + ".class");
        assertThat(url).as("class file of %s on the test class path", name).isNotNull();
        String s = url.toString();
        if (s.startsWith("jar:")) {
            return Path.of(new URI(s.substring("jar:".length(), s.indexOf("!/"))));
        }
        return Path.of(url.toURI()).getParent();
    }
}
