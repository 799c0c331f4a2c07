package io.strata.control.service;

import io.strata.config.agent.AgentApi;
import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.JoinRequest;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.ControlState;
import io.strata.config.cluster.Membership;
import io.strata.config.cluster.UserEntry;
import io.strata.control.auth.Passwords;
import io.strata.control.raft.CommandReply;
import io.strata.control.service.ManagementMessages.AddServerRequest;
import io.strata.control.service.ManagementMessages.ContainerRef;
import io.strata.control.service.ManagementMessages.ExitReport;
import io.strata.control.service.ManagementMessages.Heartbeat;
import io.strata.control.service.ManagementMessages.LoginReply;
import io.strata.control.service.ManagementMessages.LoginRequest;
import io.strata.control.service.ManagementMessages.SubmitRequest;
import io.strata.control.service.ManagementMessages.UserRequest;
import io.strata.control.service.ManagementMessages.WatchRequest;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.auth.Principal;
import io.strata.protocol.auth.Tokens;
import io.strata.protocol.rpc.Access;
import io.strata.protocol.rpc.ControlClient;
import io.strata.protocol.rpc.NoParams;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The methods a management process answers, and who may call each. */
final class ManagementHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementHandlers.class);
    static final long TOKEN_LIFETIME_MS = TimeUnit.DAYS.toMillis(7);

    private final ManagementService service;

    private final Upgrades upgrades;

    ManagementHandlers(ManagementService service) {
        this.service = service;
        this.upgrades = new Upgrades(service);
    }

    void registerAll(RpcRegistry registry) {
        registry.register(ManagementApi.INFO, NoParams.class, Access.ANYONE, (ctx, p) -> service.info())
                .register(ManagementApi.STATUS, NoParams.class, Access.ANYONE, (ctx, p) -> service.context().runtime().status())
                .register(ManagementApi.VIEW, NoParams.class, Access.ANYONE, (ctx, p) -> service.view())
                .register(ManagementApi.JOINED, NoParams.class, Access.LOCAL, (ctx, p) -> {
                    service.reloadMembership();
                    return service.info();
                })
                .register(ManagementApi.DRAIN, NoParams.class, Access.LOCAL, (ctx, p) -> {
                    service.context().runtime().drain();
                    return service.context().runtime().status();
                })
                .register(ManagementApi.HEARTBEAT, Heartbeat.class, Access.MEMBER, (ctx, heartbeat) -> {
                    service.recordHeartbeat(heartbeat);
                    return true;
                })
                .register(ManagementApi.EXITED, ExitReport.class, Access.MEMBER, (ctx, report) -> {
                    service.reportExit(report);
                    return true;
                })
                .register(ManagementApi.SUBMIT, SubmitRequest.class, Access.MEMBER, (ctx, request) -> service.submit(request.command()))
                .register(ManagementApi.WATCH, WatchRequest.class, Access.MEMBER, (ctx, request) -> service.watch(request))
                .register(ManagementApi.CONTAINER_ACTIVATE, ContainerRef.class, Access.ADMIN, (ctx, ref) -> setActive(ref, true))
                .register(ManagementApi.CONTAINER_DEACTIVATE, ContainerRef.class, Access.ADMIN, (ctx, ref) -> setActive(ref, false))
                .register(ManagementApi.CONTAINER_REMOVE, ContainerRef.class, Access.ADMIN, (ctx, ref) -> remove(ref))
                .register(ManagementApi.CONTAINER_ADD, AddServerRequest.class, Access.ADMIN, (ctx, request) -> addServer(request))
                .register(ManagementApi.LOGIN, LoginRequest.class, Access.ANYONE, (ctx, request) -> login(request))
                .register(ManagementApi.USER_ADD, UserRequest.class, Access.ADMIN, (ctx, request) -> putUser(request, false))
                .register(ManagementApi.USER_PASSWORD, UserRequest.class, Access.AUTHENTICATED, (ctx, request) -> {
                    boolean self = ctx.principal().kind() == Principal.Kind.USER && ctx.principal().name().equals(request.name());
                    if (!self && !ctx.principal().mayChangeCluster()) {
                        throw new StrataException(ErrorCode.PERMISSION_DENIED, "only an admin may change another user's password");
                    }
                    return putUser(request, true);
                })
                .register(ManagementApi.DRIVE_ADD, ManagementMessages.DriveAddRequest.class, Access.ADMIN, (ctx, r) -> addDrives(r))
                .register(ManagementApi.FS_CREATE, ManagementMessages.FilesystemRequest.class, Access.ADMIN, (ctx, r) -> createFilesystem(r))
                .register(ManagementApi.FS_RESIZE, ManagementMessages.FilesystemRequest.class, Access.ADMIN, (ctx, r) -> resizeFilesystem(r))
                .register(ManagementApi.FS_DELETE, ManagementMessages.FilesystemRequest.class, Access.ADMIN,
                        (ctx, r) -> service.submit(new ConfigCommand.DeleteFilesystem(r.name())).reply())
                .register(ManagementApi.UPGRADE_START, Upgrades.StartRequest.class, Access.ADMIN, (ctx, r) -> upgrades.start(r))
                .register(ManagementApi.UPGRADE_STATUS, NoParams.class, Access.ANYONE, (ctx, p) -> upgrades.status())
                .register(ManagementApi.UPGRADE_PAUSE, NoParams.class, Access.ADMIN,
                        (ctx, p) -> upgrades.change(io.strata.config.cluster.UpgradeState.PAUSED))
                .register(ManagementApi.UPGRADE_RESUME, NoParams.class, Access.ADMIN,
                        (ctx, p) -> upgrades.change(io.strata.config.cluster.UpgradeState.RUNNING))
                .register(ManagementApi.UPGRADE_ABORT, NoParams.class, Access.ADMIN,
                        (ctx, p) -> upgrades.change(io.strata.config.cluster.UpgradeState.ABORTED))
                .register(ManagementApi.USER_REMOVE, UserRequest.class, Access.ADMIN,
                        (ctx, request) -> service.submit(new ConfigCommand.RemoveUser(request.name())).reply());
    }

    private Object setActive(ContainerRef ref, boolean active) {
        ContainerEntry container = service.config().resolveContainer(ref.container());
        service.submit(new ConfigCommand.SetContainerActive(container.id(), active));
        return service.config().container(container.id());
    }

    private Object remove(ContainerRef ref) {
        ContainerEntry container = service.config().resolveContainer(ref.container());
        service.submit(new ConfigCommand.RemoveContainer(container.id()));
        return container;
    }

    private LoginReply login(LoginRequest request) {
        ControlState state = service.state();
        if (!state.config().isCreated()) {
            throw StrataException.conflict("this server belongs to no cluster yet");
        }
        UserEntry user = state.config().users().get(request.user());
        if (user == null || !Passwords.matches(request.password(), state.secrets().passwordsView().get(request.user()))) {
            LOG.warn("refused login of user '{}'", request.user());
            throw new StrataException(ErrorCode.PERMISSION_DENIED, "wrong user name or password");
        }
        long expiresAt = service.context().clock().epochMillis() + TOKEN_LIFETIME_MS;
        return new LoginReply(Tokens.issue(state.secrets().tokenKey(), user.name(), user.role(), expiresAt), expiresAt,
                user.name(), user.role());
    }

    private Object putUser(UserRequest request, boolean mustExist) {
        if (request.name() == null || !request.name().matches("[a-zA-Z][a-zA-Z0-9_.-]{0,31}")) {
            throw StrataException.invalid("user name '%s' is not valid: 1-32 letters, digits, '_', '.' or '-'", request.name());
        }
        ClusterConfig config = service.config();
        UserEntry existing = config.users().get(request.name());
        if (mustExist && existing == null) {
            throw StrataException.notFound("no user %s", request.name());
        }
        if (!mustExist && existing != null) {
            throw StrataException.conflict("user %s exists already", request.name());
        }
        String role = request.role() != null ? request.role() : existing != null ? existing.role() : Principal.READONLY;
        if (!Principal.ADMIN.equals(role) && !Principal.READONLY.equals(role)) {
            throw StrataException.invalid("role '%s' is not admin or readonly", role);
        }
        service.submit(new ConfigCommand.PutUser(request.name(), role, Passwords.hash(request.password())));
        return new UserEntry(request.name(), role);
    }

    /** Adds a server whose containers are set up: the cluster gives them ids, then the agent joins. */
    private Object addServer(AddServerRequest request) {
        InetSocketAddress agent = new InetSocketAddress(request.host(), request.agentPort());
        AgentInfo info;
        try (ControlClient client = ControlClient.connect(agent, Credentials.NONE, "management")) {
            info = client.call(AgentApi.INFO, NoParams.INSTANCE, AgentInfo.class);
        }
        if (info.clusterId() != null && !info.clusterId().equals(service.clusterId())) {
            throw StrataException.conflict("%s already belongs to cluster %s", info.server().hostname(), info.clusterId());
        }
        List<ContainerEntry> entries = ClusterFormation.containersOf(info, service.context().clock().epochMillis());
        CommandReply reply = service.submit(new ConfigCommand.AddServer(ClusterFormation.serverOf(info), entries));
        List<Integer> ids = Json.fromTree(reply.reply(), Integer[].class) == null ? List.of()
                : List.of(Json.fromTree(reply.reply(), Integer[].class));
        Map<String, Integer> containerIds = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            containerIds.put(entries.get(i).name(), ids.get(i));
        }
        ClusterConfig config = service.config();
        JoinRequest join = new JoinRequest(service.clusterId(), config.name(), service.memberEndpoints(), containerIds,
                service.joinSecret());
        Credentials credentials = info.clusterId() == null ? Credentials.NONE : service.memberCredentials();
        try (ControlClient client = ControlClient.connect(agent, credentials, "management")) {
            client.call(AgentApi.JOIN, join);
        }
        return ids.stream().map(config::container).toList();
    }

    /**
     * Formats drives on the container that will serve them (its management process does the
     * formatting on its own server) and records them in the configuration.
     */
    private Object addDrives(ManagementMessages.DriveAddRequest request) {
        ClusterConfig config = service.config();
        ContainerEntry container = config.resolveContainer(request.container());
        List<io.strata.config.cluster.ProcessEntry> driveProcesses = container.processes().stream()
                .filter(p -> p.role() == io.strata.config.Role.DRIVE).toList();
        if (driveProcesses.isEmpty()) {
            throw StrataException.invalid("container %d (%s) has no drive process", container.id(), container.qualifiedName());
        }
        if (request.paths() == null || request.paths().isEmpty()) {
            throw StrataException.invalid("name the drives to add");
        }
        List<ManagementMessages.FormattedDrive> formatted;
        try (ControlClient client = ControlClient.connect(new InetSocketAddress(container.address(), container.basePort()),
                service.memberCredentials(), "management")) {
            formatted = List.of(io.strata.runtime.Json.fromTree(client.call(ManagementApi.DRIVE_FORMAT,
                    new ManagementMessages.DriveFormatRequest(config.clusterId(), request.paths(), request.force()), 120_000),
                    ManagementMessages.FormattedDrive[].class));
        }
        long existing = config.dataPlane().drives().values().stream().filter(d -> d.containerId() == container.id()).count();
        List<io.strata.config.cluster.DriveEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < formatted.size(); i++) {
            ManagementMessages.FormattedDrive drive = formatted.get(i);
            int slot = driveProcesses.get((int) ((existing + i) % driveProcesses.size())).slot();
            List<Integer> owners = java.util.Collections.nCopies(drive.regionCount(), io.strata.config.cluster.DriveEntry.FREE);
            entries.add(new io.strata.config.cluster.DriveEntry(-1, drive.uuid(), container.id(), slot, drive.path(), drive.sizeBytes(),
                    drive.regionBytes(), drive.firstRegionAddress(), owners, true, service.context().clock().epochMillis()));
        }
        CommandReply reply = service.submit(new ConfigCommand.AddDrives(entries));
        List<Integer> ids = List.of(io.strata.runtime.Json.fromTree(reply.reply(), Integer[].class));
        return ids.stream().map(id -> service.config().dataPlane().drives().get(id)).toList();
    }

    private Object createFilesystem(ManagementMessages.FilesystemRequest request) {
        if (request.name() == null || !request.name().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}")) {
            throw StrataException.invalid("filesystem name '%s' is not valid: 1-64 letters, digits, '_', '.' or '-'", request.name());
        }
        if (request.capacityBytes() <= 0) {
            throw StrataException.invalid("a filesystem needs a capacity above 0 (got %d bytes)", request.capacityBytes());
        }
        requireHeadroom(service.config(), request.name(), request.capacityBytes(), 0);
        CommandReply reply = service.submit(new ConfigCommand.CreateFilesystem(request.name(), request.capacityBytes(),
                service.context().clock().epochMillis()));
        return service.config().dataPlane().filesystems().get(reply.reply().asInt());
    }

    /** Refuses a capacity that would give filesystems more than the drives can hold ({@code current}: what the filesystem has now). */
    private static void requireHeadroom(ClusterConfig config, String name, long capacityBytes, long current) {
        long usable = Capacity.usableBytes(config);
        long given = config.dataPlane().filesystems().values().stream().mapToLong(io.strata.config.cluster.FilesystemEntry::capacityBytes).sum();
        if (given - current + capacityBytes > usable) {
            throw new StrataException(ErrorCode.NO_SPACE, String.format(
                    "not enough capacity for %s: %s asked, %s usable in all, %s already given to filesystems",
                    name, Capacity.describe(capacityBytes), Capacity.describe(usable), Capacity.describe(given)));
        }
    }

    private Object resizeFilesystem(ManagementMessages.FilesystemRequest request) {
        if (request.capacityBytes() <= 0) {
            throw StrataException.invalid("a filesystem needs a capacity above 0 (got %d bytes)", request.capacityBytes());
        }
        ClusterConfig config = service.config();
        if (config.upgrade() != null && config.upgrade().isActive()) {
            throw StrataException.conflict("filesystems keep their capacity during an upgrade; resize %s once it has finished",
                    request.name());
        }
        io.strata.config.cluster.FilesystemEntry fs = config.dataPlane().filesystem(request.name()).orElseThrow(
                () -> StrataException.notFound("no filesystem named %s", request.name()));
        requireHeadroom(config, request.name(), request.capacityBytes(), fs.capacityBytes());
        service.submit(new ConfigCommand.ResizeFilesystem(request.name(), request.capacityBytes()));
        return service.config().dataPlane().filesystems().get(fs.id());
    }

    static Membership membershipOf(JoinRequest request) {
        return new Membership(request.clusterId(), request.clusterName(), request.members(), request.containerIds());
    }
}
