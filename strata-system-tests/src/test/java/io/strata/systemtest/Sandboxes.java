package io.strata.systemtest;

import com.fasterxml.jackson.core.type.TypeReference;
import io.strata.config.agent.ContainerStatus;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.ContainerRuntimeStatus;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Small verbs the system tests share. */
final class Sandboxes {
    private Sandboxes() {
    }

    static ClusterView view(String address, int port) {
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(address, port), Credentials.NONE, "test")) {
            return client.call(ManagementApi.VIEW, NoParams.INSTANCE, ClusterView.class);
        }
    }

    /** The view as any management process of the first servers answers it. */
    static ClusterView anyView(String subnet) {
        StrataException last = null;
        for (int server = 1; server <= 6; server++) {
            for (int port : new int[] {14000, 14300, 14200}) {
                try {
                    return view(subnet + "." + server, port);
                } catch (StrataException e) {
                    last = e;
                }
            }
        }
        throw last;
    }

    static ContainerRuntimeStatus runtime(String address, int port) {
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(address, port), Credentials.NONE, "test")) {
            return client.call(ManagementApi.STATUS, NoParams.INSTANCE, ContainerRuntimeStatus.class);
        }
    }

    static List<ContainerStatus> ps(CliRunner cli, String address) {
        CliRunner.Result result = cli.run("-H", address, "-J", "local", "ps").expectSuccess();
        try {
            return Json.mapper().readValue(result.out(), new TypeReference<List<ContainerStatus>>() { });
        } catch (IOException e) {
            throw new AssertionError("local ps printed no JSON: " + result, e);
        }
    }

    static ContainerStatus container(CliRunner cli, String address, String name) {
        return ps(cli, address).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not reached within " + timeoutMs / 1000 + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    static boolean quietly(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException | AssertionError e) {
            return false;
        }
    }

    static String cpusAllowed(long pid, int threadId) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/task/" + threadId + "/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow().split(":")[1].strip();
    }

    static List<String> commandLine(long pid) throws IOException {
        String raw = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        return List.of(raw.split("\0"));
    }

    static long rssKiB(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
    }

    static long cpuTicks(long pid) {
        try {
            String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String readAllLogs(Path root) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    /**
     * Copies every log of a sandbox to {@code target/sandbox-logs/<name>} before the sandbox's
     * folder goes away, so a failed run can be understood afterwards (CI keeps nothing else).
     */
    static void keepLogs(Path root, String name) {
        Path to = Path.of("target", "sandbox-logs", name);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                Path copy = to.resolve(root.relativize(file).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            System.out.println("the sandbox's logs could not be kept: " + e.getMessage());
        }
    }
}
