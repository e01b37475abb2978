package dev.traced.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every code sample of the README and docs/ is compiled code: each {@code ```java} block must be,
 * line for line (indentation aside), a tagged region of a source under {@code docs/samples} or
 * {@code examples/}{@code *} (their {@code target} folders aside), and a block of another language preceded by
 * {@code <!-- sample: name -->} must be the region of that name. See this module's pom for how to
 * add a sample.
 */
class DocsSamplesTest {

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*([A-Za-z0-9_+-]*)\\s*$");
    private static final Pattern SAMPLE_MARK = Pattern.compile("<!--\\s*sample:\\s*([A-Za-z0-9_.-]+)\\s*-->");
    private static final Pattern TAG = Pattern.compile("tag::([A-Za-z0-9_.-]+)\\[]");
    private static final Pattern END = Pattern.compile("end::([A-Za-z0-9_.-]+)\\[]");

    private static final Path ROOT = repositoryRoot();

    /** A fenced block of a page: where it is, its language, the region it must be (if marked), its lines. */
    record Block(Path page, int line, String language, String sampleName, List<String> lines) {
        String where() {
            return ROOT.relativize(page) + ":" + line;
        }
    }

    /** A tagged region of a source file. */
    record Region(String name, Path file, List<String> lines) {
    }

    @Test
    void everyJavaBlockIsCompiledCode() {
        List<Region> regions = regions();
        List<String> problems = new ArrayList<>();
        for (Block block : blocks()) {
            List<String> shown = normalize(block.lines());
            if (block.sampleName() != null) {
                List<Region> named = regions.stream().filter(r -> r.name().equals(block.sampleName())).toList();
                if (named.isEmpty()) {
                    problems.add(block.where() + ": no region tagged " + block.sampleName());
                } else if (named.stream().noneMatch(r -> normalize(r.lines()).equals(shown))) {
                    problems.add(block.where() + ": differs from region " + block.sampleName() + " in "
                            + ROOT.relativize(named.get(0).file()) + "\n" + diff(normalize(named.get(0).lines()), shown));
                }
            } else if (block.language().equals("java")
                    && regions.stream().noneMatch(r -> normalize(r.lines()).equals(shown))) {
                problems.add(block.where() + ": this ```java block is not a tagged region of any compiled source;"
                        + " put it between // tag::name[] and // end::name[] in docs/samples (see its pom)."
                        + closest(regions, shown) + "\n    " + String.join("\n    ", shown));
            }
        }
        if (!problems.isEmpty()) {
            fail(problems.size() + " code sample(s) out of step with the compiled sources:\n\n"
                    + String.join("\n\n", problems));
        }
    }

    @Test
    void findsThePagesAndTheRegions() {
        // Guards the test above against passing because it looked in the wrong place.
        List<Block> blocks = blocks();
        assertTrue(blocks.stream().anyMatch(b -> b.page().getFileName().toString().equals("README.md")
                && b.language().equals("java")), "no ```java block found in README.md under " + ROOT);
        assertTrue(blocks.stream().filter(b -> b.language().equals("java")).count() >= 10,
                "fewer than 10 java blocks found: " + blocks.size());
        assertFalse(regions().isEmpty(), "no tagged regions found");
    }

    @Test
    void aChangedLineIsCaught() {
        // The comparison itself: a block with one line changed matches no region.
        Region region = regions().get(0);
        List<String> changed = new ArrayList<>(normalize(region.lines()));
        changed.set(0, changed.get(0) + " // changed");
        assertFalse(regions().stream().anyMatch(r -> normalize(r.lines()).equals(changed)));
    }

    static List<Block> blocks() {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md") && !p.toString().contains("/target/")).sorted()
                    .forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages) {
            List<String> lines = read(page);
            String sampleName = null;
            for (int i = 0; i < lines.size(); i++) {
                Matcher mark = SAMPLE_MARK.matcher(lines.get(i));
                if (mark.find()) {
                    sampleName = mark.group(1);
                    continue;
                }
                Matcher fence = FENCE.matcher(lines.get(i));
                if (!fence.matches()) {
                    if (!lines.get(i).isBlank()) {
                        sampleName = null;
                    }
                    continue;
                }
                int start = i;
                List<String> body = new ArrayList<>();
                for (i++; i < lines.size() && !FENCE.matcher(lines.get(i)).matches(); i++) {
                    body.add(lines.get(i));
                }
                blocks.add(new Block(page, start + 1, fence.group(1).toLowerCase(), sampleName, body));
                sampleName = null;
            }
        }
        return blocks;
    }

    static List<Region> regions() {
        List<Path> roots = new ArrayList<>();
        roots.add(ROOT.resolve("docs/samples"));
        try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
            examples.filter(Files::isDirectory).sorted().forEach(roots::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Region> regions = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile)
                        .filter(f -> !root.relativize(f).startsWith("target")).sorted().toList()) {
                    regions.addAll(regionsOf(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return regions;
    }

    private static List<Region> regionsOf(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return List.of();   // not text
        }
        Map<String, List<String>> open = new LinkedHashMap<>();
        List<Region> regions = new ArrayList<>();
        for (String line : lines) {
            Matcher tag = TAG.matcher(line);
            Matcher end = END.matcher(line);
            if (tag.find()) {
                open.put(tag.group(1), new ArrayList<>());
            } else if (end.find()) {
                List<String> body = open.remove(end.group(1));
                if (body != null) {
                    regions.add(new Region(end.group(1), file, body));
                }
            } else {
                open.values().forEach(body -> body.add(line));
            }
        }
        return regions;
    }

    /** Trailing spaces and the common indentation removed; leading and trailing blank lines dropped. */
    static List<String> normalize(List<String> lines) {
        List<String> trimmed = lines.stream().map(DocsSamplesTest::stripTrailing).collect(Collectors.toList());
        while (!trimmed.isEmpty() && trimmed.get(0).isEmpty()) {
            trimmed.remove(0);
        }
        while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1).isEmpty()) {
            trimmed.remove(trimmed.size() - 1);
        }
        int indent = trimmed.stream().filter(l -> !l.isEmpty())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return trimmed.stream().map(l -> l.isEmpty() ? l : l.substring(indent)).toList();
    }

    private static String stripTrailing(String line) {
        return line.stripTrailing();
    }

    private static String closest(List<Region> regions, List<String> shown) {
        Region best = null;
        long bestShared = 0;
        for (Region region : regions) {
            List<String> lines = normalize(region.lines());
            long shared = shown.stream().filter(lines::contains).count();
            if (shared > bestShared) {
                best = region;
                bestShared = shared;
            }
        }
        return best == null ? "" : " Closest: region " + best.name() + " in " + ROOT.relativize(best.file())
                + "\n" + diff(normalize(best.lines()), shown);
    }

    private static String diff(List<String> source, List<String> shown) {
        StringBuilder out = new StringBuilder();
        for (String line : source) {
            if (!shown.contains(line)) {
                out.append("  - source: ").append(line).append('\n');
            }
        }
        for (String line : shown) {
            if (!source.contains(line)) {
                out.append("  + page:   ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("run-tests.sh")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the traced repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
