package io.strata.agent;

import io.strata.config.cluster.ReleaseOrder;
import io.strata.config.server.AgentLayout;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The releases installed on a server, side by side under {@code versions/<release>/}: each the
 * unpacked distribution archive, with its {@code RELEASE} file (release and wire protocol) and
 * its {@code lib} folder. A container runs the release its definition names.
 */
final class VersionStore {
    record Installed(String release, int protocol, Path directory) {
    }

    private final AgentLayout layout;

    VersionStore(AgentLayout layout) {
        this.layout = layout;
    }

    List<Installed> list() {
        if (!Files.isDirectory(layout.versionsDir())) {
            return List.of();
        }
        List<Installed> installed = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(layout.versionsDir())) {
            for (Path dir : dirs.toList()) {
                if (Files.isDirectory(dir.resolve("lib"))) {
                    installed.add(new Installed(dir.getFileName().toString(), protocolOf(dir), dir));
                }
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot list %s: %s", layout.versionsDir(), e.getMessage());
        }
        installed.sort((a, b) -> ReleaseOrder.compare(a.release(), b.release()));
        return installed;
    }

    Installed get(String release) {
        return list().stream().filter(i -> i.release().equals(release)).findFirst().orElseThrow(() -> StrataException.notFound(
                "release %s is not installed on this server (installed: %s)", release, list().stream().map(Installed::release).toList()));
    }

    /** The protocol a release speaks; a release installed without a RELEASE file (this agent's own) speaks protocol 1 unless told. */
    private static int protocolOf(Path dir) {
        Path file = dir.resolve("RELEASE");
        if (!Files.exists(file)) {
            return io.strata.runtime.Release.current().version().equals(dir.getFileName().toString())
                    ? io.strata.runtime.Release.current().protocol() : 1;
        }
        Properties properties = read(file);
        return Integer.parseInt(properties.getProperty("protocol", "1"));
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw StrataException.invalid("cannot read %s: %s", file, e.getMessage());
        }
        return properties;
    }

    /** Unpacks a distribution archive beside the other releases; the archive is checked before anything moves in. */
    Installed install(Path archive) {
        if (!Files.isRegularFile(archive)) {
            throw StrataException.notFound("no archive at %s", archive);
        }
        Path staging = layout.root().resolve("versions.staging-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(staging);
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", staging.toString()).redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw StrataException.invalid("%s is not a Strata release archive (tar: %s)", archive, output.strip());
            }
            Path unpacked;
            try (Stream<Path> entries = Files.list(staging)) {
                List<Path> roots = entries.toList();
                if (roots.size() != 1 || !Files.isDirectory(roots.getFirst())) {
                    throw StrataException.invalid("%s is not a Strata release archive: it should hold one folder strata-<release>", archive);
                }
                unpacked = roots.getFirst();
            }
            Path releaseFile = unpacked.resolve("RELEASE");
            if (!Files.exists(releaseFile) || !Files.isDirectory(unpacked.resolve("lib"))) {
                throw StrataException.invalid("%s is not a Strata release archive: no RELEASE file or lib folder", archive);
            }
            Properties properties = read(releaseFile);
            String release = properties.getProperty("release");
            if (release == null || !release.matches("[0-9A-Za-z._-]{1,64}")) {
                throw StrataException.invalid("%s names no valid release in its RELEASE file", archive);
            }
            if (!unpacked.getFileName().toString().equals("strata-" + release)) {
                throw StrataException.invalid("%s holds %s but says it is release %s", archive, unpacked.getFileName(), release);
            }
            try (Stream<Path> jars = Files.list(unpacked.resolve("lib"))) {
                if (jars.noneMatch(j -> j.getFileName().toString().startsWith("strata-container"))) {
                    throw StrataException.invalid("%s has no strata-container jar in its lib folder", archive);
                }
            }
            Path target = layout.versionDir(release);
            if (Files.exists(target)) {
                throw StrataException.conflict("release %s is installed already", release);
            }
            Files.createDirectories(layout.versionsDir());
            Files.move(unpacked, target);
            return new Installed(release, Integer.parseInt(properties.getProperty("protocol", "1")), target);
        } catch (IOException e) {
            throw StrataException.unavailable("cannot install %s: %s", archive, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted while installing %s", archive);
        } finally {
            SafeFiles.deleteRecursively(staging);
        }
    }

    void remove(String release) {
        SafeFiles.deleteRecursively(get(release).directory());
    }

    /**
     * Refuses a switch that skips a release or goes back more than one: the wire protocols of the
     * two releases must be the same or adjacent, so both always share a protocol.
     */
    void checkStep(String from, String to) {
        if (from.equals(to)) {
            return;
        }
        int fromProtocol = get(from).protocol();
        int toProtocol = get(to).protocol();
        if (Math.abs(fromProtocol - toProtocol) > 1) {
            throw StrataException.invalid("release %s (protocol %d) cannot switch to %s (protocol %d): %s more than one release; "
                    + "go through the releases in between", from, fromProtocol, to, toProtocol,
                    toProtocol > fromProtocol ? "that skips" : "that goes back");
        }
    }
}
