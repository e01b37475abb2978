package dev.traced.wildfly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Variants of the example war, made from the built one. */
final class ExampleWars {

    private static final String STRUCTURE = "WEB-INF/jboss-deployment-structure.xml";
    private static final String MANIFEST = "META-INF/MANIFEST.MF";
    private static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private ExampleWars() {
    }

    /**
     * The example with the second documented way to use the module: a {@code Dependencies:} line in
     * its manifest instead of {@code jboss-deployment-structure.xml}, and its own service name.
     */
    static void withManifestDependency(Path war, Path target, String service) throws IOException {
        copy(war, target, service, "Manifest-Version: 1.0\r\n"
                + "Dependencies: dev.traced meta-inf services annotations\r\n\r\n");
    }

    /** The example declaring no dependency at all (for the global module), with its own service name. */
    static void withoutDependency(Path war, Path target, String service) throws IOException {
        copy(war, target, service, "Manifest-Version: 1.0\r\n\r\n");
    }

    private static void copy(Path war, Path target, String service, String manifest) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(war));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            out.putNextEntry(new ZipEntry(MANIFEST));
            out.write(manifest.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (name.equals(STRUCTURE) || name.equals(MANIFEST)) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(name));
                if (name.equals(CONFIG)) {
                    String config = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replace("dd.service=sandwich-shop", "dd.service=" + service);
                    out.write(config.getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}
