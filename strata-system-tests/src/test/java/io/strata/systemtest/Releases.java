package io.strata.systemtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real releases for the upgrade tests: the project built once more from its own sources as the
 * next release (another release number and wire protocol), and a broken release (one that cannot
 * start: a library it needs is missing from its archive).
 */
final class Releases {
    private Releases() {
    }

    static Path repository() {
        return Path.of(System.getProperty("strata.repository")).toAbsolutePath().normalize();
    }

    /** Builds the sources of this repository as {@code release} speaking {@code protocol}; returns the archive. */
    static Path build(Path work, String release, int protocol) throws IOException, InterruptedException {
        Path sources = work.resolve("sources-" + release);
        copySources(repository(), sources);
        String javaHome = Path.of(System.getProperty("java.home")).toString();
        ProcessBuilder maven = new ProcessBuilder("mvn", "-B", "-q", "-o", "-DskipTests", "-Dstrata.release=" + release,
                "-Dstrata.protocol=" + protocol, "package", "-pl", "strata-dist", "-am")
                .directory(sources.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("build-" + release + ".log").toFile());
        maven.environment().put("JAVA_HOME", javaHome);
        Process process = maven.start();
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("building release " + release + " failed: " + Files.readString(work.resolve("build-" + release + ".log")));
        }
        return sources.resolve("strata-dist").resolve("target").resolve("strata-" + release + ".tar.gz");
    }

    private static void copySources(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                String first = relative.getNameCount() == 0 ? "" : relative.getName(0).toString();
                if (first.equals(".git") || first.equals(".strata") || relative.toString().contains("/target")
                        || relative.toString().startsWith("target")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(path)) {
                    Files.copy(path, target);
                }
            }
        }
    }

    /** A release {@code release} made from {@code good} without one of its libraries: its containers cannot start. */
    static Path broken(Path work, Path good, String release, int protocol) throws IOException, InterruptedException {
        Path unpack = work.resolve("broken-" + release);
        Files.createDirectories(unpack);
        run(unpack, "tar", "-xzf", good.toString());
        Path unpacked;
        try (Stream<Path> entries = Files.list(unpack)) {
            unpacked = entries.findFirst().orElseThrow();
        }
        Path renamed = unpack.resolve("strata-" + release);
        Files.move(unpacked, renamed);
        Files.writeString(renamed.resolve("RELEASE"), "release=" + release + "\nprotocol=" + protocol + "\n", StandardCharsets.UTF_8);
        try (Stream<Path> jars = Files.list(renamed.resolve("lib"))) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("jackson-databind")).toList()) {
                Files.delete(jar);
            }
        }
        Path archive = work.resolve("strata-" + release + ".tar.gz");
        run(unpack, "tar", "-czf", archive.toString(), "strata-" + release);
        return archive;
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }
}
