package dev.fusion4j.examples.emoji;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes one {@code ## } section of {@code docs/results.md}, leaving the file's other sections as they are. */
final class ResultsFile {
    private ResultsFile() {
    }

    /** A hand-written subsection after the generated tables, kept when the section is written again. */
    static final String READING = "### Reading";

    /**
     * Replaces the section that starts with {@code heading} (up to the next {@code "\n## "} or the end) by
     * {@code markdown}, which starts with the heading itself; when the file has no such section, inserts it before
     * the section headed {@code before} (if there is one) or appends it. A {@value #READING} subsection of the old
     * section (written by hand after a run) is kept at the end of the new one, unless {@code markdown} has its own.
     */
    static void replaceSection(Path file, String heading, String markdown, String before) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int at = old.indexOf(heading);
        String body = markdown.endsWith("\n") ? markdown : markdown + "\n";
        String after;
        int insert = old.indexOf(before);
        if (at < 0 && insert >= 0) {
            after = old.substring(0, insert) + body + "\n" + old.substring(insert);
        } else if (at < 0) {
            after = old + (old.isEmpty() || old.endsWith("\n\n") ? "" : old.endsWith("\n") ? "\n" : "\n\n") + body;
        } else {
            int next = old.indexOf("\n## ", at + heading.length());
            String section = next < 0 ? old.substring(at) : old.substring(at, next + 1);
            int reading = section.indexOf("\n" + READING + "\n");
            if (reading >= 0 && !body.contains("\n" + READING + "\n")) {
                body = body + "\n" + section.substring(reading + 1).stripTrailing() + "\n";
            }
            after = old.substring(0, at) + body + (next < 0 ? "" : "\n" + old.substring(next + 1));
        }
        Files.writeString(file, after, StandardCharsets.UTF_8);
    }
}
