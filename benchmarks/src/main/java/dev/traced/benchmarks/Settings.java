package dev.traced.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** A benchmark's {@code settings} parameter: {@code default}, or {@code key=value,key=value}. */
final class Settings {

    private Settings() {
    }

    static List<String[]> parse(String settings) {
        List<String[]> parsed = new ArrayList<>();
        if (settings == null || settings.equals("default")) {
            return parsed;
        }
        for (String pair : settings.split(",")) {
            int eq = pair.indexOf('=');
            parsed.add(new String[] {pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()});
        }
        return parsed;
    }
}
