package dev.fusion4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every ```java block of README.md compiles against the current API, so the samples cannot rot. */
class ReadmeSnippetsTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String IMPORTS = String.join("\n",
            "import dev.fusion4j.api.*;",
            "import dev.fusion4j.core.*;",
            "import dev.fusion4j.encoders.*;",
            "import dev.fusion4j.encoders.image.*;",
            "import dev.fusion4j.models.*;",
            "import java.nio.file.*;",
            "import java.util.*;");

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

    @Test
    void everyJavaSampleCompiles(@TempDir Path tmp) throws IOException {
        Path root = repoRoot();
        List<Path> docs = List.of(root.resolve("README.md"));
        List<Path> sources = new ArrayList<>();
        int count = 0;
        for (Path doc : docs) {
            for (String snippet : snippets(doc)) {
                String cls = "Snippet" + count++;
                String body = snippet.contains("class ") ? snippet
                        : "class " + cls + " {\n  @SuppressWarnings(\"unused\") void run() throws Exception {\n"
                        + snippet + "\n  }\n}\n";
                Path src = tmp.resolve(cls + ".java");
                Files.writeString(src, "// from " + root.relativize(doc) + "\n" + IMPORTS + "\n" + body);
                sources.add(src);
            }
        }
        assertThat(count).as("java samples in README.md").isGreaterThanOrEqualTo(1);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean ok = compiler.getTask(null, fm, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", tmp.toString(), "-proc:none"),
                    null, fm.getJavaFileObjectsFromPaths(sources)).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    String source = d.getSource() == null ? "?" : Files.readAllLines(Path.of(d.getSource().toUri())).get(0);
                    errors.append(source).append(" line ").append(d.getLineNumber()).append(": ")
                            .append(d.getMessage(null)).append('\n');
                }
            }
            assertThat(ok).as("README samples compile:\n%s", errors).isTrue();
        }
    }
}
