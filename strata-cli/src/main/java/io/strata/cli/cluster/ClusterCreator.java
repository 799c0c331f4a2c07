package io.strata.cli.cluster;

import io.strata.config.ProcessIds;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.JoinRequest;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ClusterSecrets;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.MemberEndpoint;
import io.strata.config.cluster.PasswordHash;
import io.strata.config.cluster.Protection;
import io.strata.config.cluster.UserEntry;
import io.strata.control.auth.Passwords;
import io.strata.control.service.ClusterFormation;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.LoginReply;
import io.strata.control.service.ManagementMessages.ManagementInfo;
import io.strata.control.service.ManagementMessages.LoginRequest;
import io.strata.control.service.ManagementMessages.SubmitRequest;
import io.strata.control.service.MemberClients;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.auth.Hmac;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Forms a cluster from servers whose containers are set up and running: asks each host agent
 * what it has, writes the first configuration (ids, control members, protection, the admin
 * user), hands every agent the join secret, has the members replicate the configuration, and
 * waits until every container is heard from.
 */
public final class ClusterCreator {
    private static final long FORM_TIMEOUT_MS = 120_000;
    public static final int DEFAULT_BUCKETS = 24;

    public record Request(List<String> servers, String name, String adminPassword, Integer dataDrives, Integer parityDrives,
            int hotSpare, int buckets, int bucketReplicas) {
        @Override
        public String toString() {
            return "Request[" + servers + ", " + name + ", <hidden>]";
        }
    }

    public record Result(String clusterId, ClusterConfig config, String token, long formedInMs) {
        @Override
        public String toString() {
            return "Result[" + clusterId + "]";
        }
    }

    private ClusterCreator() {
    }

    public static Result create(Request request, Consumer<String> progress) {
        long started = System.nanoTime();
        if (request.servers().isEmpty()) {
            throw StrataException.invalid("name at least one server");
        }
        List<AgentInfo> infos = new ArrayList<>();
        for (String server : request.servers()) {
            infos.add(agentInfo(server));
        }
        for (AgentInfo info : infos) {
            if (info.clusterId() != null) {
                throw StrataException.conflict("%s already belongs to cluster %s", info.server().hostname(), info.clusterId());
            }
        }
        progress.accept("found " + infos.size() + " servers with "
                + infos.stream().mapToInt(i -> i.containers().size()).sum() + " containers");
        String clusterId = UUID.randomUUID().toString();
        Protection protection = protection(request, infos);
        ClusterConfig draft = ClusterFormation.initialConfig(clusterId, request.name(), System.currentTimeMillis(), protection,
                request.buckets(), request.bucketReplicas(), infos);
        ClusterConfig config = withAdmin(draft);
        String joinSecret = Hmac.newSecret(32);
        PasswordHash adminHash = Passwords.hash(request.adminPassword());
        ClusterSecrets secrets = new ClusterSecrets(joinSecret, Hmac.newSecret(32), new TreeMap<>(Map.of("admin", adminHash)));
        List<MemberEndpoint> members = ClusterFormation.endpoints(config);
        join(request, infos, config, members, joinSecret);
        progress.accept("joined the servers; control plane members: containers " + config.controlMembers());
        MemberClients clients = new MemberClients(() -> members, () -> Credentials.joinSecret("cli/create", joinSecret), "cli");
        try (clients) {
            submitCreation(clients, new ConfigCommand.CreateCluster(config, secrets));
            progress.accept("the control plane keeps the configuration (revision 1)");
            awaitAllUp(clients, config, progress);
            LoginReply login = Json.fromTree(clients.callAny(ManagementApi.LOGIN, new LoginRequest("admin", request.adminPassword()),
                    10_000), LoginReply.class);
            return new Result(clusterId, config, login.token(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    static AgentInfo agentInfo(String server) {
        InetSocketAddress address = agentAddress(server);
        try (ControlClient client = ControlClient.connect(address, Credentials.NONE, "cli")) {
            return client.call(AgentApi.INFO, NoParams.INSTANCE, AgentInfo.class);
        }
    }

    static InetSocketAddress agentAddress(String server) {
        int colon = server.lastIndexOf(':');
        if (colon < 0) {
            return new InetSocketAddress(server, ProcessIds.AGENT_PORT);
        }
        try {
            return new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw StrataException.invalid("'%s' is not host[:port]", server);
        }
    }

    private static Protection protection(Request request, List<AgentInfo> infos) {
        int domains = (int) infos.stream().map(i -> i.server().failureDomain()).distinct().count();
        int parity = request.parityDrives() == null ? 2 : request.parityDrives();
        int data = request.dataDrives() == null ? Math.min(Protection.MAX_DATA, domains - parity - request.hotSpare())
                : request.dataDrives();
        if (request.dataDrives() == null && data < Protection.MIN_DATA) {
            throw StrataException.invalid("%d failure domains are too few: the smallest stripe, %d+%d, needs %d (%d with %d hot spare)",
                    domains, Protection.MIN_DATA, parity, Protection.MIN_DATA + parity,
                    Protection.MIN_DATA + parity + request.hotSpare(), request.hotSpare());
        }
        Protection protection = new Protection(data, parity, request.hotSpare());
        protection.check(domains);
        if (request.buckets() < 1 || request.buckets() > 4096) {
            throw StrataException.invalid("buckets must be 1 to 4096, not %d", request.buckets());
        }
        return protection;
    }

    private static ClusterConfig withAdmin(ClusterConfig config) {
        return new ClusterConfig(config.revision(), config.clusterId(), config.name(), config.createdAtMillis(),
                config.protection(), config.bucketCount(), config.servers(), config.containers(), config.controlMembers(),
                new TreeMap<>(Map.of("admin", new UserEntry("admin", Principal.ADMIN))), config.activeRelease(),
                config.nextContainerId(), config.dataPlane());
    }

    /** Hands every agent its containers' ids and the join secret, all servers at once. */
    private static void join(Request request, List<AgentInfo> infos, ClusterConfig config, List<MemberEndpoint> members,
            String joinSecret) {
        List<java.util.concurrent.CompletableFuture<Void>> joins = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            String hostname = infos.get(i).server().hostname();
            Map<String, Integer> ids = new HashMap<>();
            for (ContainerEntry container : config.containerList()) {
                if (container.hostname().equals(hostname)) {
                    ids.put(container.name(), container.id());
                }
            }
            JoinRequest join = new JoinRequest(config.clusterId(), config.name(), members, ids, joinSecret);
            InetSocketAddress address = agentAddress(request.servers().get(i));
            joins.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (ControlClient client = ControlClient.connect(address, Credentials.NONE, "cli")) {
                    client.call(AgentApi.JOIN, join);
                }
            }, r -> Thread.ofVirtual().start(r)));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(joins.toArray(java.util.concurrent.CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof StrataException strata ? strata : e;
        }
    }

    private static void submitCreation(MemberClients clients, ConfigCommand.CreateCluster command) {
        long deadline = System.nanoTime() + FORM_TIMEOUT_MS * 1_000_000;
        StrataException last = null;
        while (System.nanoTime() < deadline) {
            try {
                clients.callAny(ManagementApi.SUBMIT, new SubmitRequest(command), 30_000);
                return;
            } catch (StrataException e) {
                if (e.code() != ErrorCode.UNAVAILABLE && e.code() != ErrorCode.TIMEOUT) {
                    throw e;
                }
                last = e;
                sleep(500);
            }
        }
        throw StrataException.unavailable("the control plane did not form within %d s: %s", FORM_TIMEOUT_MS / 1000,
                last == null ? "" : last.getMessage());
    }

    private static void awaitAllUp(MemberClients clients, ClusterConfig config, Consumer<String> progress) {
        long deadline = System.nanoTime() + FORM_TIMEOUT_MS * 1_000_000;
        awaitJoined(config, deadline);
        progress.accept("every management process joined");
        while (System.nanoTime() < deadline) {
            try {
                ClusterView view = Json.fromTree(clients.callAny(ManagementApi.VIEW, NoParams.INSTANCE, 10_000), ClusterView.class);
                long up = view.config().containerList().stream().filter(c -> c.health() == Health.UP).count();
                if (view.leaderContainerId() != null && up == config.containers().size()) {
                    progress.accept("leader elected (container " + view.leaderContainerId() + "), all " + up + " containers UP");
                    return;
                }
            } catch (StrataException e) {
                // members still starting
            }
            sleep(300);
        }
        throw StrataException.unavailable("not every container reported UP within %d s", FORM_TIMEOUT_MS / 1000);
    }

    /** Waits until every container's management process says it joined (so its heartbeats flow). */
    private static void awaitJoined(ClusterConfig config, long deadline) {
        for (ContainerEntry container : config.containerList()) {
            InetSocketAddress address = new InetSocketAddress(container.address(), container.basePort());
            while (true) {
                try (ControlClient client = ControlClient.connect(address, Credentials.NONE, "cli")) {
                    ManagementInfo info = client.call(ManagementApi.INFO, NoParams.INSTANCE, ManagementInfo.class);
                    if (info.containerId() != null) {
                        break;
                    }
                } catch (StrataException e) {
                    // not answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw StrataException.unavailable("container %s did not join within %d s", container.qualifiedName(),
                            FORM_TIMEOUT_MS / 1000);
                }
                sleep(200);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted");
        }
    }
}
