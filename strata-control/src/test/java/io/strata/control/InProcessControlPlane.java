package io.strata.control;

import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ClusterSecrets;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.MemberEndpoint;
import io.strata.config.cluster.Membership;
import io.strata.config.cluster.ProcessEntry;
import io.strata.config.cluster.Protection;
import io.strata.config.cluster.ServerEntry;
import io.strata.config.cluster.UserEntry;
import io.strata.control.auth.Passwords;
import io.strata.control.service.ClusterFormation;
import io.strata.control.service.ContainerRuntime;
import io.strata.control.service.ManagementContext;
import io.strata.control.service.ManagementMessages.ContainerRuntimeStatus;
import io.strata.control.service.ManagementMessages.ProcessRuntime;
import io.strata.control.service.ManagementService;
import io.strata.runtime.Clock;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import io.strata.runtime.SafeFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A control plane of N one-container servers in this JVM, over real sockets on 127.0.9.N:
 * every container's management process, formed into a cluster the way {@code cluster create}
 * does it (membership file, join secret, the CreateCluster command through a member).
 * Verbs: {@link #form}, {@link #stop}, {@link #start}, {@link #awaitLeader}.
 */
final class InProcessControlPlane implements AutoCloseable {
    static final int BASE_PORT = 14000;
    static final String ADMIN_PASSWORD = "admin-password-for-tests";

    private final Path root;
    private final int servers;
    private final String joinSecret;
    private final Map<Integer, ManagementService> running = new HashMap<>();
    private ClusterConfig config;

    InProcessControlPlane(Path root, int servers, String joinSecret) {
        this.root = root;
        this.servers = servers;
        this.joinSecret = joinSecret;
    }

    static String address(int id) {
        return "127.0.9." + (id + 1);
    }

    static String hostname(int id) {
        return "server" + (id + 1);
    }

    Path agentRoot(int id) {
        return root.resolve(hostname(id));
    }

    ClusterConfig initialConfig() {
        TreeMap<Integer, ContainerEntry> containers = new TreeMap<>();
        TreeMap<String, ServerEntry> serverEntries = new TreeMap<>();
        for (int id = 0; id < servers; id++) {
            serverEntries.put(hostname(id), new ServerEntry(hostname(id), address(id), hostname(id), 13900));
            containers.put(id, new ContainerEntry(id, "drives0", hostname(id), address(id), hostname(id), BASE_PORT,
                    Release.current().version(), true, Health.UP, System.currentTimeMillis(), null, 0,
                    List.of(new ProcessEntry(id * 20, 0, Role.MANAGEMENT, null, BASE_PORT, Health.UP),
                            new ProcessEntry(id * 20 + 1, 1, Role.DRIVE, 1, BASE_PORT + 1, Health.UP)),
                    System.currentTimeMillis(), 1000 + id));
        }
        ClusterConfig draft = new ClusterConfig(0, "cluster-test", "test", System.currentTimeMillis(), new Protection(3, 2, 0), 12,
                serverEntries, containers, null, new TreeMap<>(Map.of("admin", new UserEntry("admin", "admin"))), null, servers);
        return new ClusterConfig(0, draft.clusterId(), draft.name(), draft.createdAtMillis(), draft.protection(), 12,
                draft.servers(), draft.containers(), ClusterFormation.chooseMembers(draft), draft.users(), null, servers);
    }

    /** Writes every server's membership and secret, starts every management process and creates the cluster. */
    void form() throws InterruptedException {
        config = initialConfig();
        List<MemberEndpoint> members = ClusterFormation.endpoints(config);
        for (int id = 0; id < servers; id++) {
            writeMembership(id, members, joinSecret);
            start(id);
        }
        ClusterSecrets secrets = new ClusterSecrets(joinSecret, "token-key-for-tests",
                new TreeMap<>(Map.of("admin", Passwords.hash(ADMIN_PASSWORD))));
        ManagementService first = running.get(config.controlMembers().getFirst());
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                first.submit(new ConfigCommand.CreateCluster(config, secrets));
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        await(() -> running.values().stream().allMatch(s -> s.config().isCreated()));
    }

    void writeMembership(int id, List<MemberEndpoint> members, String secret) {
        Path agent = agentRoot(id);
        Json.writeFile(agent.resolve("cluster").resolve("membership.json"),
                new Membership("cluster-test", "test", members, Map.of("drives0", id)));
        SafeFiles.writeSecret(agent.resolve("secrets").resolve("join.secret"), secret.getBytes(StandardCharsets.UTF_8));
        SafeFiles.writeSecret(agent.resolve("secrets").resolve("local.key"), ("local-" + id).getBytes(StandardCharsets.UTF_8));
    }

    ManagementService start(int id) {
        Path agent = agentRoot(id);
        ManagementContext context = new ManagementContext(hostname(id), address(id), "drives0", BASE_PORT, Release.current(),
                agent.resolve("containers").resolve("drives0").resolve("data"), agent.resolve("cluster").resolve("membership.json"),
                agent.resolve("secrets").resolve("join.secret"), () -> "local-" + id, Clock.SYSTEM, new FakeRuntime(1000 + id),
                200, 1500);
        ManagementService service = new ManagementService(context).start();
        running.put(id, service);
        return service;
    }

    void stop(int id) {
        ManagementService service = running.remove(id);
        if (service != null) {
            service.close();
        }
    }

    ManagementService service(int id) {
        return running.get(id);
    }

    List<Integer> runningIds() {
        return new ArrayList<>(running.keySet());
    }

    ClusterConfig config() {
        return config;
    }

    /** The container id of the leader as a running member sees it, once one is elected. */
    int awaitLeader() throws InterruptedException {
        Integer[] leader = new Integer[1];
        await(() -> running.values().stream().filter(ManagementService::isMember).anyMatch(s -> {
            Integer seen = s.view().leaderContainerId();
            if (seen != null && running.containsKey(seen)) {
                leader[0] = seen;
                return true;
            }
            return false;
        }));
        return leader[0];
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        for (int id : new ArrayList<>(running.keySet())) {
            stop(id);
        }
    }

    /** A container with one healthy drive process and nothing else. */
    static final class FakeRuntime implements ContainerRuntime {
        private final long pid;

        FakeRuntime(long pid) {
            this.pid = pid;
        }

        @Override
        public ContainerRuntimeStatus status() {
            return new ContainerRuntimeStatus("drives0", Release.current().version(), true, false, pid, 1,
                    List.of(new ProcessRuntime(1, Role.DRIVE, 1, 1, 0, true, BASE_PORT + 1)));
        }

        @Override
        public Map<Integer, Health> processHealth() {
            return Map.of(1, Health.UP);
        }

        @Override
        public void drain() {
        }
    }
}
