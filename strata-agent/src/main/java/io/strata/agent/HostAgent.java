package io.strata.agent;

import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.ContainerStatus;
import io.strata.config.agent.JoinRequest;
import io.strata.config.cluster.Membership;
import io.strata.config.server.AgentLayout;
import io.strata.config.server.ContainerDefinition;
import io.strata.config.server.ServerIdentity;
import io.strata.control.auth.ControlAuthenticator;
import io.strata.control.service.ManagementApi;
import io.strata.control.service.ManagementMessages.ExitReport;
import io.strata.control.service.MemberClients;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.ControlServer;
import io.strata.protocol.rpc.NoParams;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.Clock;
import io.strata.runtime.Json;
import io.strata.runtime.Release;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host agent: one per server, outside every container. It keeps the installed releases side
 * by side and the definitions of this server's containers on disk, runs a supervisor per
 * container, and answers {@code strata local ...}. Restarting the agent adopts the container
 * JVMs that kept running, so an agent can itself be upgraded without stopping IO.
 */
public final class HostAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostAgent.class);

    private final AgentLayout layout;
    private final ServerIdentity identity;
    private final Clock clock;
    private final Release release;
    private final ContainerLauncher launcher;
    private final VersionStore versions;
    private final Map<String, ContainerSupervisor> supervisors = new ConcurrentSkipListMap<>();
    private final MemberClients memberClients;
    private final String localKey;
    private volatile Membership membership;
    private volatile String joinSecret;
    private ControlServer server;
    private io.strata.fuse.SessionKeeper sessionKeeper;

    public HostAgent(AgentLayout layout, ServerIdentity identity, Clock clock, Release release, String javaBinary) {
        this.layout = layout;
        this.identity = identity;
        this.clock = clock;
        this.release = release;
        this.launcher = new ContainerLauncher(layout, javaBinary);
        this.versions = new VersionStore(layout);
        this.localKey = loadOrCreateLocalKey(layout);
        this.membership = Files.exists(layout.membershipFile()) ? Json.readFile(layout.membershipFile(), Membership.class) : null;
        this.joinSecret = readJoinSecret();
        this.memberClients = new MemberClients(() -> membership == null ? List.of() : membership.members(),
                () -> Credentials.joinSecret(identity.hostname() + "/agent", joinSecret), "agent");
    }

    private static String loadOrCreateLocalKey(AgentLayout layout) {
        try {
            if (Files.exists(layout.localKeyFile())) {
                if (!SafeFiles.isOwnerOnly(layout.localKeyFile())) {
                    throw StrataException.invalid("%s must be readable by its owner only (mode 0600)", layout.localKeyFile());
                }
                return Files.readString(layout.localKeyFile(), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read %s: %s", layout.localKeyFile(), e.getMessage());
        }
        String key = io.strata.protocol.auth.Hmac.newSecret(32);
        SafeFiles.writeSecret(layout.localKeyFile(), key.getBytes(StandardCharsets.UTF_8));
        return key;
    }

    private String readJoinSecret() {
        try {
            return Files.exists(layout.joinSecretFile())
                    ? Files.readString(layout.joinSecretFile(), StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read %s: %s", layout.joinSecretFile(), e.getMessage());
        }
    }

    public HostAgent start() {
        for (ContainerDefinition definition : loadDefinitions()) {
            ContainerSupervisor supervisor = new ContainerSupervisor(this, definition);
            supervisor.setContainerId(membership == null ? null : membership.containerId(definition.name()));
            supervisors.put(definition.name(), supervisor);
            supervisor.start();
        }
        sessionKeeper = new io.strata.fuse.SessionKeeper(layout.fuseKeeperSocket());
        sessionKeeper.start();
        RpcRegistry registry = new RpcRegistry();
        new AgentHandlers(this).registerAll(registry);
        ControlAuthenticator authenticator = new ControlAuthenticator(() -> joinSecret, () -> null, () -> localKey, clock);
        server = new ControlServer("agent " + identity.hostname(), new InetSocketAddress(identity.address(), identity.agentPort()),
                registry, authenticator, () -> membership == null ? null : membership.clusterId(), release).start();
        LOG.info("host agent of {} listening on {}:{} with {} containers", identity.hostname(), identity.address(),
                identity.agentPort(), supervisors.size());
        return this;
    }

    private List<ContainerDefinition> loadDefinitions() {
        if (!Files.isDirectory(layout.containersDir())) {
            return List.of();
        }
        List<ContainerDefinition> definitions = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(layout.containersDir())) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve("container.json");
                if (Files.exists(file)) {
                    definitions.add(Json.readFile(file, ContainerDefinition.class));
                }
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot list %s: %s", layout.containersDir(), e.getMessage());
        }
        return definitions;
    }

    AgentLayout layout() {
        return layout;
    }

    public ServerIdentity identity() {
        return identity;
    }

    Clock clock() {
        return clock;
    }

    Release release() {
        return release;
    }

    VersionStore versions() {
        return versions;
    }

    ContainerLauncher launcher() {
        return launcher;
    }

    Credentials localCredentials() {
        return Credentials.localKey(identity.hostname() + "/agent", localKey);
    }

    Map<String, ContainerSupervisor> supervisors() {
        return supervisors;
    }

    Membership membership() {
        return membership;
    }

    boolean isJoined() {
        return membership != null;
    }

    public int port() {
        return server.port();
    }

    void saveDefinition(ContainerDefinition definition) {
        Json.writeFile(layout.definitionFile(definition.name()), definition);
    }

    List<String> installedReleases() {
        return versions.list().stream().map(VersionStore.Installed::release).toList();
    }

    AgentInfo info() {
        List<ContainerStatus> containers = supervisors.values().stream().map(ContainerSupervisor::status).toList();
        return new AgentInfo(identity, release.version(), installedReleases(), membership == null ? null : membership.clusterId(),
                containers);
    }

    /** Records the cluster this server joined and tells every running container. */
    synchronized AgentInfo join(JoinRequest request) {
        if (membership != null && !membership.clusterId().equals(request.clusterId())) {
            throw StrataException.conflict("%s already belongs to cluster %s", identity.hostname(), membership.clusterId());
        }
        for (String name : request.containerIds().keySet()) {
            if (!supervisors.containsKey(name)) {
                throw StrataException.notFound("%s has no container %s", identity.hostname(), name);
            }
        }
        SafeFiles.writeSecret(layout.joinSecretFile(), request.joinSecret().getBytes(StandardCharsets.UTF_8));
        Membership previous = membership;
        Map<String, Integer> ids = new java.util.TreeMap<>(previous == null ? Map.of() : previous.containerIds());
        ids.putAll(request.containerIds());
        Membership joined = new Membership(request.clusterId(), request.clusterName(), request.members(), ids);
        Json.writeFile(layout.membershipFile(), joined);
        joinSecret = request.joinSecret();
        membership = joined;
        memberClients.reset();
        LOG.info("{} joined cluster {} ({} containers)", identity.hostname(), request.clusterId(), request.containerIds().size());
        for (Map.Entry<String, Integer> entry : request.containerIds().entrySet()) {
            ContainerSupervisor supervisor = supervisors.get(entry.getKey());
            supervisor.setContainerId(entry.getValue());
            notifyJoined(supervisor);
        }
        return info();
    }

    /** Tells a container's management process to read the membership files (no restart needed). */
    void notifyJoined(ContainerSupervisor supervisor) {
        ContainerStatus status = supervisor.status();
        if (!status.ready() || membership == null) {
            return;
        }
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(identity.address(), status.basePort()),
                localCredentials(), "agent")) {
            client.call(ManagementApi.JOINED, NoParams.INSTANCE);
        } catch (StrataException e) {
            LOG.warn("container {} was not told of the join: {}", status.name(), e.getMessage());
        }
    }

    void onContainerReady(ContainerSupervisor supervisor) {
        // A container that was down when the server joined reads the membership itself at start.
    }

    /** Tells the cluster that a container now runs on other cores, ports, memory or failure domain. */
    void onResourcesApplied(ContainerSupervisor supervisor) {
        if (membership == null || membership.containerId(supervisor.name()) == null) {
            return;
        }
        io.strata.config.resources.ResourceFile resources = supervisor.definition().resources();
        List<io.strata.config.cluster.ProcessEntry> processes = resources.processes().stream()
                .map(p -> new io.strata.config.cluster.ProcessEntry(p.slot(), p.slot(), p.role(), p.coreId(), p.port(),
                        io.strata.config.cluster.Health.UP))
                .toList();
        io.strata.config.cluster.ConfigCommand update = new io.strata.config.cluster.ConfigCommand.UpdateContainerResources(
                identity.hostname(), supervisor.name(), resources.basePort(), resources.memoryBytes(), resources.failureDomain(),
                processes);
        Thread.ofVirtual().name("report-resources").start(() -> {
            try {
                memberClients.callAny(ManagementApi.SUBMIT, new io.strata.control.service.ManagementMessages.SubmitRequest(update),
                        20_000);
            } catch (StrataException e) {
                LOG.warn("could not tell the cluster the new resources of {}: {}", supervisor.name(), e.getMessage());
            }
        });
    }

    /** The hardware the generator allocates on: the simulated cores of a sandbox server, or this machine. */
    io.strata.resources.Hardware hardware() {
        if (identity.coreMapping().simulated()) {
            return io.strata.resources.Hardware.simulated(identity.hostname(), identity.cores(), 0, List.of());
        }
        io.strata.resources.Hardware live = io.strata.resources.HardwareReader.read(Path.of("/"));
        return new io.strata.resources.Hardware(identity.hostname(), live.cpus(), live.memoryBytes(), live.nics(),
                live.blockDevices());
    }

    /** Tells the control plane at once that a container ended, so it is DOWN before heartbeats time out. */
    void reportExit(String containerName, String reason) {
        if (membership == null || membership.containerId(containerName) == null) {
            return;
        }
        ExitReport report = new ExitReport(identity.hostname(), containerName, reason, clock.epochMillis());
        Thread.ofVirtual().name("report-exit").start(() -> {
            try {
                memberClients.callAny(ManagementApi.EXITED, report, 10_000);
            } catch (StrataException e) {
                LOG.info("could not report the exit of {} to the cluster: {}", containerName, e.getMessage());
            }
        });
    }

    void addSupervisor(ContainerDefinition definition) {
        ContainerSupervisor supervisor = new ContainerSupervisor(this, definition);
        supervisor.setContainerId(membership == null ? null : membership.containerId(definition.name()));
        supervisors.put(definition.name(), supervisor);
        supervisor.start();
    }

    void removeSupervisor(String name) {
        ContainerSupervisor supervisor = supervisors.remove(name);
        if (supervisor != null) {
            supervisor.close(false);
        }
        releaseFuseSessions(name);
    }

    /** A container stopped on purpose without handing its mounts over: the copies kept of them go, and the mounts end. */
    void releaseFuseSessions(String container) {
        if (sessionKeeper != null) {
            sessionKeeper.release(container);
        }
    }

    /** Stops serving; containers keep running unless {@code stopContainers}. */
    public void close(boolean stopContainers) {
        if (server != null) {
            server.close();
        }
        List<Thread> stops = new ArrayList<>();
        for (ContainerSupervisor supervisor : supervisors.values()) {
            stops.add(Thread.ofVirtual().start(() -> supervisor.close(stopContainers)));
        }
        for (Thread stop : stops) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        memberClients.close();
        if (sessionKeeper != null) {
            sessionKeeper.close();
        }
    }

    @Override
    public void close() {
        close(false);
    }
}
