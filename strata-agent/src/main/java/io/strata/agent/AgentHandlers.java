package io.strata.agent;

import io.strata.config.Role;
import io.strata.config.agent.AgentApi;
import io.strata.config.agent.ContainerNames;
import io.strata.config.agent.ContainerStatus;
import io.strata.config.agent.JoinRequest;
import io.strata.config.agent.ResourcesEdit;
import io.strata.config.agent.ResourcesView;
import io.strata.config.agent.SetupRequest;
import io.strata.config.agent.VersionEntry;
import io.strata.config.agent.VersionRequest;
import io.strata.config.resources.ProcessSlot;
import io.strata.resources.GeneratorOptions;
import io.strata.resources.ResourceGenerator;
import io.strata.config.agent.ShutdownRequest;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ContainerDefinition;
import io.strata.config.server.ContainerRules;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.rpc.Access;
import io.strata.protocol.rpc.NoParams;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import io.strata.runtime.agent.IdleStrategies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The methods a host agent answers: {@code strata local ...} and the cluster's join. */
final class AgentHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(AgentHandlers.class);

    private final HostAgent agent;

    AgentHandlers(HostAgent agent) {
        this.agent = agent;
    }

    void registerAll(RpcRegistry registry) {
        registry.register(AgentApi.INFO, NoParams.class, Access.ANYONE, (ctx, p) -> agent.info())
                .register(AgentApi.STATUS, NoParams.class, Access.ANYONE, (ctx, p) -> agent.info())
                .register(AgentApi.PS, NoParams.class, Access.ANYONE, (ctx, p) -> statuses())
                .register(AgentApi.JOIN, JoinRequest.class, Access.ANYONE, (ctx, request) -> {
                    if (agent.isJoined() && ctx.principal().kind() != Principal.Kind.MEMBER) {
                        throw new StrataException(ErrorCode.PERMISSION_DENIED, agent.identity().hostname()
                                + " belongs to cluster " + agent.membership().clusterId() + ": only its members may change that");
                    }
                    return agent.join(request);
                })
                .register(AgentApi.SETUP, SetupRequest.class, Access.LOCAL, (ctx, request) -> setup(request))
                .register(AgentApi.START, ContainerNames.class, Access.LOCAL, (ctx, names) -> start(names))
                .register(AgentApi.STOP, ContainerNames.class, Access.LOCAL, (ctx, names) -> stop(names))
                .register(AgentApi.RESTART, ContainerNames.class, Access.LOCAL, (ctx, names) -> restart(names))
                .register(AgentApi.REMOVE, ContainerNames.class, Access.LOCAL, (ctx, names) -> remove(names))
                .register(AgentApi.SHUTDOWN, ShutdownRequest.class, Access.LOCAL, (ctx, request) -> shutdown(request))
                .register(AgentApi.RESOURCES, ContainerNames.class, Access.ANYONE, (ctx, names) -> resources(names))
                .register(AgentApi.RESOURCES_EDIT, ResourcesEdit.class, Access.LOCAL, (ctx, edit) -> edit(edit))
                .register(AgentApi.RESOURCES_APPLY, ContainerNames.class, Access.LOCAL, (ctx, names) -> apply(names))
                .register(AgentApi.VERSION_LIST, NoParams.class, Access.ANYONE, (ctx, p) -> versions())
                .register(AgentApi.VERSION_INSTALL, VersionRequest.class, Access.LOCAL, (ctx, r) -> install(r))
                .register(AgentApi.VERSION_SET, VersionRequest.class, Access.LOCAL, (ctx, r) -> setVersion(r))
                .register(AgentApi.VERSION_REMOVE, VersionRequest.class, Access.LOCAL, (ctx, r) -> removeVersion(r))
                .register(AgentApi.ROLLBACK, VersionRequest.class, Access.LOCAL, (ctx, r) -> rollback(r));
    }

    private List<ContainerStatus> statuses() {
        return agent.supervisors().values().stream().map(ContainerSupervisor::status).toList();
    }

    private ContainerStatus setup(SetupRequest request) {
        ResourceFile resources = request.resources() != null ? request.resources() : allocated(request);
        ContainerRules.checkName(resources.name());
        if (agent.supervisors().containsKey(resources.name())) {
            throw StrataException.conflict("container %s exists already on %s", resources.name(), agent.identity().hostname());
        }
        if (resources.hostname() != null && !resources.hostname().equals(agent.identity().hostname())) {
            throw StrataException.invalid("the resources of %s are for host %s, but this is %s", resources.name(),
                    resources.hostname(), agent.identity().hostname());
        }
        ResourceFile placed = resources.withHostname(agent.identity().hostname());
        if (placed.failureDomain() == null) {
            placed = placed.withFailureDomain(agent.identity().failureDomain());
        }
        List<ResourceFile> others = agent.supervisors().values().stream().map(s -> s.definition().resources()).toList();
        ContainerRules.check(placed, agent.identity(), others);
        String release = request.release() == null ? agent.release().version() : request.release();
        if (!agent.installedReleases().contains(release)) {
            throw StrataException.notFound("release %s is not installed on %s (installed: %s)", release,
                    agent.identity().hostname(), agent.installedReleases());
        }
        String idle = request.idleStrategy() == null ? IdleStrategies.DEFAULT : request.idleStrategy();
        IdleStrategies.parse(idle);
        ContainerDefinition definition = new ContainerDefinition(placed.name(), release, null,
                request.start() ? ContainerDefinition.DesiredState.RUNNING : ContainerDefinition.DesiredState.STOPPED, idle,
                placed, null, null, request.joinIps(), agent.clock().epochMillis());
        agent.saveDefinition(definition);
        agent.addSupervisor(definition);
        LOG.info("set up container {} ({} role processes, base port {})", placed.name(), placed.roleProcesses().size(),
                placed.basePort());
        return agent.supervisors().get(placed.name()).status();
    }

    /** The single-container layout: a container of {@code cores} cores, allocated with the generator's rules. */
    private ResourceFile allocated(SetupRequest request) {
        if (request.cores() == null) {
            throw StrataException.invalid("give the container's resources (--resources-path) or its cores (--cores)");
        }
        String name = request.name() == null ? "default" : request.name();
        ContainerRules.checkName(name);
        List<Integer> used = agent.supervisors().values().stream()
                .flatMap(s -> s.definition().resources().roleProcesses().stream()).map(ProcessSlot::coreId).toList();
        GeneratorOptions options = GeneratorOptions.builder().failureDomain(agent.identity().failureDomain())
                .spareCores(agent.identity().coreMapping().simulated() ? 1 : null)
                .build();
        io.strata.resources.Hardware hardware = agent.hardware();
        if (!used.isEmpty()) {
            List<io.strata.resources.Cpu> free = hardware.cpus().stream().filter(c -> !used.contains(c.id())).toList();
            hardware = new io.strata.resources.Hardware(hardware.hostname(), free, hardware.memoryBytes(), hardware.nics(),
                    hardware.blockDevices());
        }
        return ResourceGenerator.defaultContainer(hardware, request.cores(), options).withName(name);
    }

    private List<ResourcesView> resources(ContainerNames names) {
        return select(names).stream().map(this::view).toList();
    }

    private ResourcesView view(ContainerSupervisor supervisor) {
        ContainerDefinition definition = supervisor.definition();
        return new ResourcesView(definition.name(), definition.resources(), definition.staged(), definition.lastGood(),
                supervisor.lastApplyOutcome());
    }

    /** Stages a change after checking it against the server and its other containers; nothing changes on a refusal. */
    private synchronized List<ResourcesView> edit(ResourcesEdit edit) {
        List<ContainerSupervisor> targets = edit.container() == null ? new ArrayList<>(agent.supervisors().values())
                : select(new ContainerNames(List.of(edit.container()), false));
        if (edit.container() == null && (edit.coreIds() != null || edit.basePort() != null || edit.replace() != null
                || edit.memoryBytes() != null)) {
            throw StrataException.invalid("name the container (--container) whose cores, memory, base port or file you change");
        }
        java.util.Map<String, ResourceFile> next = new java.util.LinkedHashMap<>();
        for (ContainerSupervisor target : targets) {
            ContainerDefinition definition = target.definition();
            ResourceFile base = definition.staged() != null ? definition.staged() : definition.resources();
            next.put(target.name(), edit.discard() ? null : ResourcesEdits.apply(base, edit, agent.identity()));
        }
        for (ContainerSupervisor target : targets) {
            ResourceFile candidate = next.get(target.name());
            if (candidate == null) {
                continue;
            }
            List<ResourceFile> others = agent.supervisors().values().stream().filter(s -> !s.name().equals(target.name()))
                    .map(s -> next.containsKey(s.name()) && next.get(s.name()) != null ? next.get(s.name())
                            : s.definition().staged() != null ? s.definition().staged() : s.definition().resources())
                    .toList();
            ContainerRules.check(candidate, agent.identity(), others);
        }
        List<ResourcesView> views = new ArrayList<>();
        for (ContainerSupervisor target : targets) {
            ContainerDefinition definition = target.definition();
            ResourceFile staged = next.get(target.name());
            if (staged != null && staged.equals(definition.resources())) {
                staged = null;
            }
            target.redefine(definition.withResources(definition.resources(), staged, definition.lastGood())).join();
            views.add(view(target));
        }
        return views;
    }

    private List<ResourcesView> apply(ContainerNames names) {
        List<ContainerSupervisor> selected = select(names).stream().filter(s -> s.definition().staged() != null).toList();
        if (selected.isEmpty()) {
            throw StrataException.invalid("nothing is staged%s: change the resources first ('strata local resources --help')",
                    names.names().isEmpty() ? "" : " for " + String.join(", ", names.names()));
        }
        List<ResourcesView> views = new ArrayList<>();
        for (ContainerSupervisor supervisor : selected) {
            await(List.of(supervisor.applyStaged()));
            views.add(view(supervisor));
        }
        return views;
    }

    private List<VersionEntry> versions() {
        List<VersionEntry> entries = new ArrayList<>();
        for (VersionStore.Installed installed : agent.versions().list()) {
            List<String> running = agent.supervisors().values().stream()
                    .filter(s -> s.definition().release().equals(installed.release())).map(ContainerSupervisor::name).toList();
            List<String> previous = agent.supervisors().values().stream()
                    .filter(s -> installed.release().equals(s.definition().previousRelease())).map(ContainerSupervisor::name).toList();
            entries.add(new VersionEntry(installed.release(), installed.protocol(), installed.release().equals(agent.release().version()),
                    running, previous));
        }
        return entries;
    }

    private VersionEntry install(VersionRequest request) {
        VersionStore.Installed installed = agent.versions().install(java.nio.file.Path.of(request.archive()));
        LOG.info("installed release {} (protocol {})", installed.release(), installed.protocol());
        return versions().stream().filter(v -> v.release().equals(installed.release())).findFirst().orElseThrow();
    }

    /** Switches a container to another installed release; it takes effect at the container's next start (or now with restart). */
    ContainerStatus setVersion(VersionRequest request) {
        ContainerSupervisor supervisor = select(new ContainerNames(List.of(request.container()), false)).getFirst();
        String current = supervisor.definition().release();
        agent.versions().get(request.release());
        if (current.equals(request.release())) {
            return supervisor.status();
        }
        agent.versions().checkStep(current, request.release());
        supervisor.redefine(supervisor.definition().withRelease(request.release())).join();
        LOG.info("container {} switched from release {} to {}", supervisor.name(), current, request.release());
        if (request.restart()) {
            return await(List.of(supervisor.requestRestart(true))).getFirst();
        }
        return supervisor.status();
    }

    private ContainerStatus rollback(VersionRequest request) {
        ContainerSupervisor supervisor = select(new ContainerNames(List.of(request.container()), false)).getFirst();
        String previous = supervisor.definition().previousRelease();
        if (previous == null) {
            throw StrataException.conflict("container %s has run only release %s: there is nothing to roll back to",
                    supervisor.name(), supervisor.definition().release());
        }
        return setVersion(new VersionRequest(null, previous, request.container(), true));
    }

    private String removeVersion(VersionRequest request) {
        agent.versions().get(request.release());
        List<String> users = agent.supervisors().values().stream().filter(s -> s.definition().release().equals(request.release()))
                .map(ContainerSupervisor::name).toList();
        if (!users.isEmpty()) {
            throw StrataException.conflict("release %s is in use by %s: switch them first", request.release(), users);
        }
        if (request.release().equals(agent.release().version())) {
            throw StrataException.conflict("release %s is the host agent's own", request.release());
        }
        agent.versions().remove(request.release());
        return request.release();
    }

    private List<ContainerSupervisor> select(ContainerNames names) {
        if (names.names().isEmpty()) {
            return new ArrayList<>(agent.supervisors().values());
        }
        List<ContainerSupervisor> selected = new ArrayList<>();
        for (String name : names.names()) {
            ContainerSupervisor supervisor = agent.supervisors().get(name);
            if (supervisor == null) {
                throw StrataException.notFound("%s has no container %s (containers: %s)", agent.identity().hostname(), name,
                        agent.supervisors().keySet());
            }
            selected.add(supervisor);
        }
        return selected;
    }

    /** Drives first when starting (they serve the others), frontends first when stopping. */
    private static int startOrder(ContainerSupervisor supervisor) {
        List<Role> roles = supervisor.definition().resources().roles();
        if (roles.contains(Role.DRIVE)) {
            return 0;
        }
        return roles.contains(Role.COMPUTE) ? 1 : 2;
    }

    private List<ContainerStatus> start(ContainerNames names) {
        List<ContainerSupervisor> selected = select(names);
        selected.sort(Comparator.comparingInt(AgentHandlers::startOrder));
        return await(selected.stream().map(ContainerSupervisor::requestStart).toList());
    }

    private List<ContainerStatus> stop(ContainerNames names) {
        List<ContainerSupervisor> selected = select(names);
        selected.sort(Comparator.comparingInt(AgentHandlers::startOrder).reversed());
        List<ContainerStatus> stopped = new ArrayList<>();
        for (ContainerSupervisor supervisor : selected) {
            stopped.add(await(List.of(supervisor.requestStop(names.graceful()))).getFirst());
        }
        return stopped;
    }

    private List<ContainerStatus> restart(ContainerNames names) {
        List<ContainerSupervisor> selected = select(names);
        selected.sort(Comparator.comparingInt(AgentHandlers::startOrder));
        List<ContainerStatus> restarted = new ArrayList<>();
        for (ContainerSupervisor supervisor : selected) {
            restarted.add(await(List.of(supervisor.requestRestart(names.graceful()))).getFirst());
        }
        return restarted;
    }

    private List<String> remove(ContainerNames names) {
        if (names.names().isEmpty()) {
            throw StrataException.invalid("name the containers to remove");
        }
        List<ContainerSupervisor> selected = select(names);
        for (ContainerSupervisor supervisor : selected) {
            if (!"STOPPED".equals(supervisor.status().state())) {
                throw StrataException.conflict("container %s is %s: stop it first ('strata local stop %s')",
                        supervisor.name(), supervisor.status().state(), supervisor.name());
            }
            if (agent.membership() != null && agent.membership().containerId(supervisor.name()) != null) {
                throw StrataException.conflict("container %s is container %d of cluster %s: remove it from the cluster first "
                        + "('strata cluster container deactivate %d' and 'strata cluster container remove %d')", supervisor.name(),
                        agent.membership().containerId(supervisor.name()), agent.membership().clusterId(),
                        agent.membership().containerId(supervisor.name()), agent.membership().containerId(supervisor.name()));
            }
        }
        List<String> removed = new ArrayList<>();
        for (ContainerSupervisor supervisor : selected) {
            agent.removeSupervisor(supervisor.name());
            SafeFiles.deleteRecursively(agent.layout().containerDir(supervisor.name()));
            removed.add(supervisor.name());
        }
        return removed;
    }

    private Object shutdown(ShutdownRequest request) {
        Thread.ofPlatform().name("agent-shutdown").start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            agent.close(request.stopContainers());
            System.exit(0);
        });
        return true;
    }

    private static List<ContainerStatus> await(List<CompletableFuture<ContainerStatus>> futures) {
        List<ContainerStatus> results = new ArrayList<>();
        for (CompletableFuture<ContainerStatus> future : futures) {
            try {
                results.add(future.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof StrataException strata) {
                    throw strata;
                }
                throw e;
            }
        }
        return results;
    }
}
