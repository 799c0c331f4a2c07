package io.strata.agent;

import io.strata.config.ProcessIds;
import io.strata.config.server.AgentLayout;
import io.strata.config.server.Ranges;
import io.strata.config.server.ServerIdentity;
import io.strata.runtime.Clock;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import io.strata.runtime.StrataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

/**
 * Starts a host agent:
 * {@code AgentMain --root DIR [--hostname H] [--address A] [--failure-domain F] [--cores N|LIST]
 * [--core-mapping identity|modulo|shared] [--port P]}. The options describe the server the first time;
 * afterwards the agent reads {@code agent.json} and refuses options that contradict it.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        try {
            Map<String, String> options = parse(args);
            AgentLayout layout = new AgentLayout(Path.of(require(options, "--root")).toAbsolutePath());
            ServerIdentity identity = identity(layout, options);
            HostAgent agent = new HostAgent(layout, identity, Clock.SYSTEM, Release.current(), ContainerLauncher.currentJava()).start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                agent.close(false);
                stopped.countDown();
            }, "agent-shutdown-hook"));
            stopped.await();
        } catch (StrataException e) {
            System.err.println("strata-agent: " + e.getMessage());
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw StrataException.invalid("expected --option value, got '%s'", args[i]);
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw StrataException.invalid("%s is required", name);
        }
        return value;
    }

    static ServerIdentity identity(AgentLayout layout, Map<String, String> options) {
        if (Files.exists(layout.identityFile())) {
            ServerIdentity existing = Json.readFile(layout.identityFile(), ServerIdentity.class);
            check(options, "--hostname", existing.hostname());
            check(options, "--address", existing.address());
            return existing;
        }
        String hostname = options.getOrDefault("--hostname", localHostname());
        String address = options.getOrDefault("--address", "127.0.0.1");
        String failureDomain = options.getOrDefault("--failure-domain", hostname);
        int machineCpus = Runtime.getRuntime().availableProcessors();
        String coresOption = options.get("--cores");
        List<Integer> cores = coresOption == null ? IntStream.range(0, machineCpus).boxed().toList()
                : coresOption.matches("\\d+") ? IntStream.range(0, Integer.parseInt(coresOption)).boxed().toList()
                : Ranges.parse(coresOption);
        ServerIdentity.CoreMapping mapping = ServerIdentity.CoreMapping.named(options.getOrDefault("--core-mapping", "identity"))
                .orElseThrow(() -> StrataException.invalid("--core-mapping must be identity, modulo or shared"));
        if (mapping == ServerIdentity.CoreMapping.IDENTITY && cores.stream().anyMatch(c -> c >= machineCpus)) {
            throw StrataException.invalid("cores %s include CPUs this machine lacks (it has %d); use --core-mapping modulo to simulate",
                    Ranges.describe(cores), machineCpus);
        }
        long memory = Long.parseLong(options.getOrDefault("--memory", Long.toString(physicalMemoryBytes())));
        int port = Integer.parseInt(options.getOrDefault("--port", Integer.toString(ProcessIds.AGENT_PORT)));
        ServerIdentity identity = new ServerIdentity(hostname, address, failureDomain, cores, mapping, memory, port);
        Json.writeFile(layout.identityFile(), identity);
        return identity;
    }

    private static void check(Map<String, String> options, String option, String existing) {
        String given = options.get(option);
        if (given != null && !given.equals(existing)) {
            throw StrataException.invalid("%s %s contradicts this server's identity (%s); it was set when the agent first started",
                    option, given, existing);
        }
    }

    private static String localHostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static long physicalMemoryBytes() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
