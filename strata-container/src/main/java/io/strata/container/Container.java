package io.strata.container;

import io.strata.config.Role;
import io.strata.config.cluster.Health;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.AgentLayout;
import io.strata.config.server.ContainerDefinition;
import io.strata.config.server.ServerIdentity;
import io.strata.control.auth.ControlAuthenticator;
import io.strata.control.process.ProcessService;
import io.strata.control.service.ContainerRuntime;
import io.strata.control.service.ManagementContext;
import io.strata.control.service.ManagementMessages.ContainerRuntimeStatus;
import io.strata.control.service.ManagementMessages.ProcessRuntime;
import io.strata.control.service.ManagementService;
import io.strata.runtime.Clock;
import io.strata.runtime.Release;
import io.strata.runtime.StrataException;
import io.strata.runtime.agent.IdleStrategies;
import io.strata.runtime.agent.PinnedAgentRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container: one JVM of one release, holding a management process (slot 0, no dedicated core)
 * and up to 19 role processes, each an agent pinned to the CPU its core maps to.
 *
 * <p>It starts the role processes first, so a port or core that cannot be had fails the start
 * before the container tells anyone it is ready; then the management process, which joins the
 * cluster if the server has joined one.
 */
public final class Container implements ContainerRuntime, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Container.class);

    private final AgentLayout layout;
    private final ServerIdentity server;
    private final ContainerDefinition definition;
    private final Release release;
    private final Clock clock;
    private final Function<Role, ProcessService> services;
    private final List<RoleProcess> processes = new ArrayList<>();
    private final Map<Integer, io.strata.frontend.process.FrontendService> frontends = new TreeMap<>();
    private final List<PinnedAgentRunner> runners = new ArrayList<>();
    private final long startedAtMillis;
    private ManagementService management;
    private Mounts mounts;
    private volatile boolean ready;
    private volatile boolean draining;

    public Container(AgentLayout layout, ServerIdentity server, ContainerDefinition definition, Release release, Clock clock,
            Function<Role, ProcessService> services) {
        this.layout = layout;
        this.server = server;
        this.definition = definition;
        this.release = release;
        this.clock = clock;
        this.services = services;
        this.startedAtMillis = clock.epochMillis();
    }

    public static Container standard(AgentLayout layout, ServerIdentity server, ContainerDefinition definition) {
        return new Container(layout, server, definition, Release.current(), Clock.SYSTEM, RoleServices::create);
    }

    public Container start() {
        ResourceFile resources = definition.resources();
        int machineCpus = Runtime.getRuntime().availableProcessors();
        ControlAuthenticator authenticator = new ControlAuthenticator(this::joinSecret, () -> managementTokenKey(),
                this::localKey, clock);
        for (ProcessSlot slot : resources.roleProcesses()) {
            int cpu = server.cpuOf(slot.coreId(), machineCpus);
            RoleProcess process = new RoleProcess(server.hostname(), definition.name(), server.address(), slot, release,
                    authenticator, this::joinSecret, this::containerId, this::currentConfig, clock,
                    layout.dataDir(definition.name()), services.apply(slot.role()), this::submitToControlPlane);
            processes.add(process);
            if (process.service() instanceof io.strata.frontend.process.FrontendService frontend) {
                frontends.put(slot.slot(), frontend);
            }
            PinnedAgentRunner runner = new PinnedAgentRunner(process, IdleStrategies.parse(definition.idleStrategy(),
                    process.transport().selector(), process::nanosUntilNextTimer), cpu, error -> LOG.error("{}: a duty cycle failed", process.roleName(), error));
            runners.add(runner);
        }
        for (PinnedAgentRunner runner : runners) {
            runner.start();
        }
        ManagementContext context = new ManagementContext(server.hostname(), server.address(), definition.name(),
                resources.basePort(), release, layout.dataDir(definition.name()), layout.membershipFile(),
                layout.joinSecretFile(), this::localKey, clock, this, 0, 0);
        management = new ManagementService(context);
        DriveAdmin.register(management.registry());
        mounts = new Mounts(frontends, layout.dataDir(definition.name()), this::currentConfig, layout.fuseKeeperSocket(),
                definition.name());
        mounts.register(management.registry());
        management.start();
        mounts.restore();
        ready = true;
        LOG.info("container {} of release {} ready: {} role processes on cores {}", definition.name(), release.version(),
                processes.size(), processes.stream().map(p -> p.slot().coreId()).toList());
        return this;
    }

    /** Role processes' changes go through this container's management process, on a virtual thread. */
    private java.util.concurrent.CompletableFuture<io.strata.control.raft.CommandReply> submitToControlPlane(
            io.strata.config.cluster.ConfigCommand command) {
        java.util.concurrent.CompletableFuture<io.strata.control.raft.CommandReply> result = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("control-submit").start(() -> {
            try {
                result.complete(management.submit(command));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private String managementTokenKey() {
        return management == null ? null : management.state().secrets().tokenKey();
    }

    private io.strata.config.cluster.ClusterConfig currentConfig() {
        return management == null ? io.strata.config.cluster.ClusterConfig.empty() : management.config();
    }

    private Integer containerId() {
        return management == null ? null : management.containerId();
    }

    private String joinSecret() {
        return readSecret(layout.joinSecretFile());
    }

    private String localKey() {
        return readSecret(layout.localKeyFile());
    }

    private static String readSecret(java.nio.file.Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read %s: %s", file, e.getMessage());
        }
    }

    public ManagementService management() {
        return management;
    }

    @Override
    public ContainerRuntimeStatus status() {
        List<ProcessRuntime> list = new ArrayList<>();
        int machineCpus = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < processes.size(); i++) {
            RoleProcess process = processes.get(i);
            PinnedAgentRunner runner = runners.get(i);
            ProcessSlot slot = process.slot();
            list.add(new ProcessRuntime(slot.slot(), slot.role(), slot.coreId(), server.cpuOf(slot.coreId(), machineCpus),
                    runner.threadId(), runner.isRunning() && !process.isFailed(), slot.port()));
        }
        return new ContainerRuntimeStatus(definition.name(), release.version(), ready, draining, ProcessHandle.current().pid(),
                startedAtMillis, list);
    }

    @Override
    public Map<Integer, Health> processHealth() {
        Map<Integer, Health> health = new TreeMap<>();
        for (int i = 0; i < processes.size(); i++) {
            boolean up = runners.get(i).isRunning() && !processes.get(i).isFailed();
            health.put(processes.get(i).slot().slot(), up ? Health.UP : Health.DOWN);
        }
        return health;
    }

    @Override
    public void drain() {
        draining = true;
        if (mounts != null) {
            mounts.handOver();
        }
        processes.forEach(RoleProcess::startDraining);
        long deadline = clock.nanoTime() + 30_000_000_000L;
        while (clock.nanoTime() < deadline && !processes.stream().allMatch(RoleProcess::isDrained)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        ready = false;
        if (management != null) {
            management.close();
        }
        for (PinnedAgentRunner runner : runners) {
            runner.close();
        }
        LOG.info("container {} stopped", definition.name());
    }
}
