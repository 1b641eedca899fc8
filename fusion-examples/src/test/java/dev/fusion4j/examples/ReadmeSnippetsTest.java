package dev.fusion4j.examples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every ```java block of README.md is a whole program that compiles as written against the current API, and the
 * quick start, the training program and the bring-your-own sample run, so the samples can neither rot nor lean on
 * imports or files a reader does not have.
 */
class ReadmeSnippetsTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern PUBLIC_CLASS = Pattern.compile("public class (\\w+)");

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static List<String> snippets(Path markdown) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(Files.readString(markdown, StandardCharsets.UTF_8));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @TempDir
    static Path classes;
    private static Map<String, Path> compiled;

    /**
     * Every sample is a whole program: it compiles exactly as README shows it (its own imports, nothing added), so
     * a user can paste it; README says so. Compiled once for all the tests below.
     */
    @BeforeAll
    static void everyJavaSampleIsAWholeProgramThatCompilesAsWritten() throws Exception {
        compiled = compile(classes);
    }

    @Test
    void theSamplesAreTheThreeProgramsReadmeNames() {
        assertThat(compiled).containsOnlyKeys("QuickStart", "OwnModels", "TrainAHead");
    }

    /** The quick start and the training program run as written, offline, on the bundled models. */
    @Test
    void theQuickStartAndTheTrainingProgramRun() throws Exception {
        assertThat(run(classes, "QuickStart")).contains("256-d; cosine to text only").contains("2 records embedded");
        assertThat(run(classes, "TrainAHead")).containsPattern("'crimson ball' is (warm|cold) \\(\\d\\.\\d\\d\\); embedding \\d+-d");
    }

    /**
     * The bring-your-own sample runs on the test fixtures as README describes a model: a model file with its
     * tokenizer.json beside it, and a CNN file.
     */
    @Test
    void theOwnModelsSampleRunsOnTheFixtureModels() throws Exception {
        Path models = repoRoot().resolve("fusion-encoders/src/test/resources/models");
        Path image = repoRoot().resolve("fusion-encoders/src/test/resources/images/dog.jpg");
        assertThat(run(classes, "OwnModels", models.resolve("bert-tiny/bert-tiny.onnx").toString(),
                models.resolve("resnet-tiny/resnet-tiny.pt").toString(), image.toString()))
                .containsPattern("text \\d+-d, image \\d+-d");
    }

    /** Compiles every ```java block of README.md as it stands; returns class name to source. */
    private static Map<String, Path> compile(Path tmp) throws IOException {
        Path root = repoRoot();
        Map<String, Path> sources = new LinkedHashMap<>();
        for (String snippet : snippets(root.resolve("README.md"))) {
            Matcher name = PUBLIC_CLASS.matcher(snippet);
            assertThat(name.find()).as("a README java sample is a whole program with a public class:%n%s", snippet)
                    .isTrue();
            assertThat(snippet).as("sample %s shows its imports", name.group(1)).contains("import ");
            Path src = tmp.resolve(name.group(1) + ".java");
            Files.writeString(src, snippet);
            sources.put(name.group(1), src);
        }
        assertThat(sources).as("java samples in README.md").isNotEmpty();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(null, fm, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", tmp.toString(), "-proc:none"),
                    null, fm.getJavaFileObjectsFromPaths(sources.values())).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String source = d.getSource() == null ? "?" : Path.of(d.getSource().toUri()).getFileName().toString();
                    errors.append(source).append(" line ").append(d.getLineNumber()).append(": ")
                            .append(d.getMessage(null)).append('\n');
                }
            }
            assertThat(ok).as("README samples compile as written:\n%s", errors).isTrue();
        }
        return sources;
    }

    /** Runs {@code main} of a compiled sample in this JVM; returns what it printed. */
    private static String run(Path classes, String name, String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeSnippetsTest.class.getClassLoader());
             PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(original);
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        original.print(out);
        return out;
    }
}
