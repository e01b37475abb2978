package dev.traced.internal.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps {@code docs/configuration.md} true: every {@code dd.*} key the code reads is in its reference
 * table, once, with its environment variable, and every key the table lists is read by the code.
 *
 * <p>"Read by the code" is every string literal {@code "dd.<key>"} in the main sources of the library,
 * the Quarkus extension's runtime and the WildFly module, outside comments. The MDC keys of log
 * correlation ({@code dd.trace_id}, {@code dd.span_id}) have an underscore and are not settings; the
 * other three ({@code dd.service}, {@code dd.env}, {@code dd.version}) are settings as well. A key built
 * by concatenation is not seen: write settings as whole literals.
 */
class ConfigurationReferenceTest {

    private static final Pattern KEY_LITERAL = Pattern.compile("\"(dd\\.[a-z0-9]+(?:[.-][a-z0-9]+)*)\"");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`(dd\\.[^`]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|");
    private static final List<String> SOURCE_ROOTS = List.of(
            "src/main/java", "quarkus-extension/runtime/src/main/java", "wildfly-module/src/main/java");
    private static final Path PAGE = Path.of("docs/configuration.md");

    @Test
    void theReferenceListsExactlyTheKeysTheCodeReads() {
        Map<String, String> documented = documentedKeys();
        Set<String> read = keysReadByTheCode().keySet();

        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(documented.keySet());
        Set<String> notRead = new TreeSet<>(documented.keySet());
        notRead.removeAll(read);

        assertTrue(undocumented.isEmpty(), () -> "keys the code reads but " + PAGE + " does not list: " + undocumented
                + " (read in " + where(undocumented) + "); add a row: | `key` | `ENV_VAR` | default | meaning |");
        assertTrue(notRead.isEmpty(), () -> "keys " + PAGE + " lists but no code reads: " + notRead);
    }

    @Test
    void eachKeyIsListedOnceWithItsEnvironmentVariable() {
        List<String> duplicates = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String[] row : rows()) {
            if (!seen.add(row[0])) {
                duplicates.add(row[0]);
            }
            assertEquals(Config.toEnvironmentName(row[0]), row[1], "environment variable of " + row[0]);
        }
        assertEquals(List.of(), duplicates, "keys listed more than once in " + PAGE);
    }

    @Test
    void bothSidesAreFound() {
        // Guards the tests above against agreeing because they looked at nothing.
        assertTrue(rows().size() >= 30, "rows found in " + PAGE + ": " + rows().size());
        Map<String, List<Path>> read = keysReadByTheCode();
        assertTrue(read.containsKey("dd.trace.agent.url") && read.containsKey("dd.service"), read.keySet()::toString);
        assertTrue(!KEY_LITERAL.matcher("\"dd.trace_id\"").find(), "the MDC key is not a setting");
    }

    private static Map<String, String> documentedKeys() {
        Map<String, String> keys = new TreeMap<>();
        rows().forEach(row -> keys.put(row[0], row[1]));
        return keys;
    }

    /** The reference table's rows: key and environment variable. */
    private static List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (String line : read(PAGE)) {
            Matcher row = TABLE_ROW.matcher(line);
            if (row.find()) {
                rows.add(new String[] {row.group(1), row.group(2)});
            }
        }
        return rows;
    }

    private static Map<String, List<Path>> keysReadByTheCode() {
        Map<String, List<Path>> keys = new TreeMap<>();
        for (String root : SOURCE_ROOTS) {
            Path dir = Path.of(root);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    for (String line : read(file)) {
                        String code = withoutComment(line);
                        Matcher literal = KEY_LITERAL.matcher(code);
                        while (literal.find()) {
                            keys.computeIfAbsent(literal.group(1), k -> new ArrayList<>()).add(file);
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return keys;
    }

    /** The line without a Javadoc/block comment line or a trailing {@code //} comment. */
    private static String withoutComment(String line) {
        String trimmed = line.trim();
        if (trimmed.startsWith("*") || trimmed.startsWith("/*") || trimmed.startsWith("//")) {
            return "";
        }
        int comment = line.indexOf("// ");
        return comment < 0 ? line : line.substring(0, comment);
    }

    private static String where(Set<String> keys) {
        Map<String, List<Path>> read = keysReadByTheCode();
        StringBuilder out = new StringBuilder();
        keys.forEach(key -> out.append(key).append(" in ").append(read.get(key)).append("; "));
        return out.toString();
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
