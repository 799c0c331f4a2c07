package io.strata.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.runtime.ChildProcesses;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs fio, one process per region at once, and reads its JSON report. */
final class Fio {
    /** Beyond the runtime, how long a timed job may take to start and to finish what it has in flight. */
    static final long GRACE_SECONDS = 60;
    /** The slowest layout the prepare step waits for, as bytes per second. */
    static final long SLOWEST_LAYOUT_BYTES_PER_SECOND = 2L << 20;

    /** A part of a file one fio process works on. */
    record Region(Path file, long offset, long size) {
    }

    private final Path binary;
    private final Path reports;
    private final Cleanup cleanup;

    Fio(Path binary, Path reports, Cleanup cleanup) {
        this.binary = binary;
        this.reports = reports;
        this.cleanup = cleanup;
    }

    /** The fio executable on {@code path} (a PATH value), if any. */
    static Optional<Path> find(String path) {
        if (path == null) {
            return Optional.empty();
        }
        return Arrays.stream(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "fio"))
                .filter(Files::isExecutable).findFirst();
    }

    static String version(Path binary) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(10, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            throw StrataException.unavailable("cannot run %s: %s", binary, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted");
        }
    }

    /** Writes every region once (see {@link FioJob#prepareArguments}); returns the seconds it took. */
    double prepare(String target, List<Region> regions) {
        long bytes = regions.stream().mapToLong(Region::size).sum();
        long timeout = GRACE_SECONDS + bytes / SLOWEST_LAYOUT_BYTES_PER_SECOND;
        long started = System.nanoTime();
        runAll(target, "prepare", regions, (region, report) -> FioJob.prepareArguments(region.file(), region.offset(),
                region.size(), report), timeout);
        return (System.nanoTime() - started) / 1e9;
    }

    /** Runs {@code job} on every region at once; one region's figures as they are, several combined. */
    Measurement run(String target, FioJob job, List<Region> regions, int runtimeSeconds) {
        List<Path> outputs = runAll(target, job.jobName(), regions, (region, report) -> job.arguments(region.file(),
                region.offset(), region.size(), runtimeSeconds, report), runtimeSeconds + GRACE_SECONDS);
        List<Measurement> parts = new ArrayList<>();
        for (Path output : outputs) {
            try {
                parts.add(parse(target, job, Files.readAllBytes(output)));
            } catch (IOException e) {
                throw StrataException.unavailable("cannot read fio's report %s: %s", output, e.getMessage());
            }
        }
        return parts.size() == 1 ? parts.getFirst() : Measurement.combine(target, job.jobName(), parts);
    }

    private interface Arguments {
        List<String> of(Region region, Path report);
    }

    private List<Path> runAll(String target, String name, List<Region> regions, Arguments arguments, long timeoutSeconds) {
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            Files.createDirectories(reports);
            for (int i = 0; i < regions.size(); i++) {
                String base = target + "-" + name + (regions.size() == 1 ? "" : "-" + (i + 1));
                Path output = reports.resolve(base + ".json");
                Path log = reports.resolve(base + ".log");
                Files.deleteIfExists(output);
                List<String> command = new ArrayList<>(List.of(binary.toString()));
                command.addAll(arguments.of(regions.get(i), output));
                cleanup.checkNotCancelled();
                Process process = ChildProcesses.logged(command, ProcessBuilder.Redirect.to(log.toFile())).start();
                cleanup.track(process);
                processes.add(process);
                outputs.add(output);
                logs.add(log);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw StrataException.unavailable("fio %s on %s did not finish within %d s (its log: %s)", name, target,
                            timeoutSeconds, logs.get(i));
                }
                cleanup.checkNotCancelled();
                if (process.exitValue() != 0) {
                    throw StrataException.unavailable("fio %s on %s failed with exit code %d: %s (its log: %s)", name, target,
                            process.exitValue(), lastLine(logs.get(i)), logs.get(i));
                }
            }
            return outputs;
        } catch (IOException e) {
            throw StrataException.unavailable("cannot run fio %s on %s: %s", name, target, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted while fio %s ran on %s", name, target);
        } finally {
            for (Process process : processes) {
                Cleanup.stop(process);
                cleanup.untrack(process);
            }
            for (Path log : logs) {
                deleteIfEmpty(log);
            }
        }
    }

    /** fio writes its report to --output; its log holds only warnings and errors, and is kept when it has any. */
    private static void deleteIfEmpty(Path log) {
        try {
            if (Files.size(log) == 0) {
                Files.delete(log);
            }
        } catch (IOException e) {
            // kept
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "no output" : lines.getLast().strip();
        } catch (IOException e) {
            return "no log";
        }
    }

    /** The figures of {@code job} from fio's JSON report (its first job; the read or the write side as the job does). */
    static Measurement parse(String target, FioJob job, byte[] report) {
        String text = new String(report, StandardCharsets.UTF_8);
        int start = text.indexOf('{');
        if (start < 0) {
            throw StrataException.invalid("fio's report of %s on %s holds no JSON", job.jobName(), target);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(text.substring(start));
        } catch (IOException e) {
            throw StrataException.invalid("fio's report of %s on %s is malformed: %s", job.jobName(), target,
                    e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw StrataException.invalid("fio's report of %s on %s has no jobs", job.jobName(), target);
        }
        JsonNode first = jobs.get(0);
        if (first.path("error").asInt(0) != 0) {
            throw StrataException.unavailable("fio %s on %s ended with error %d", job.jobName(), target, first.path("error").asInt());
        }
        JsonNode side = first.path(job.writes() ? "write" : "read");
        if (side.path("total_ios").asLong(0) == 0) {
            throw StrataException.unavailable("fio %s on %s did no IO", job.jobName(), target);
        }
        JsonNode clat = side.path("clat_ns");
        return new Measurement(target, job.jobName(), side.path("bw_bytes").asDouble() / (1 << 20), side.path("iops").asDouble(),
                clat.path("mean").asDouble() / 1000, clat.path("percentile").path("99.000000").asDouble() / 1000);
    }
}
