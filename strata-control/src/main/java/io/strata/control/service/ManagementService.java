package io.strata.control.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.config.ProcessIds;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ControlState;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.MemberEndpoint;
import io.strata.config.cluster.Membership;
import io.strata.control.auth.ControlAuthenticator;
import io.strata.control.raft.CommandReply;
import io.strata.control.raft.ControlPlaneMember;
import io.strata.control.service.ManagementMessages.ClusterView;
import io.strata.control.service.ManagementMessages.ExitReport;
import io.strata.control.service.ManagementMessages.Heartbeat;
import io.strata.control.service.ManagementMessages.ManagementInfo;
import io.strata.control.service.ManagementMessages.SubmitRequest;
import io.strata.control.service.ManagementMessages.WatchReply;
import io.strata.control.service.ManagementMessages.WatchRequest;
import io.strata.protocol.auth.Credentials;
import io.strata.protocol.rpc.Access;
import io.strata.protocol.rpc.ControlServer;
import io.strata.protocol.rpc.NoParams;
import io.strata.protocol.rpc.RpcRegistry;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's management process: it joins the container to the cluster, carries the control
 * plane, and watches the container's processes. It needs no dedicated core; its work runs on
 * virtual threads.
 *
 * <p>If the cluster chose it as a member, it runs a Raft peer of the configuration group; every
 * other management process follows the configuration through a member (a long poll) and
 * forwards changes to one. Either way it answers reads from its copy, so the CLI keeps working
 * while any single container is down. Every joined management process sends a heartbeat to
 * every member each second; the leader's {@link HealthMonitor} turns silence into DOWN and a
 * returning heartbeat into UP.
 */
public final class ManagementService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementService.class);
    private static final int FORWARD_TIMEOUT_MS = 20_000;
    private static final long WATCH_TIMEOUT_MS = 15_000;

    private final ManagementContext context;
    private final HealthTable healthTable = new HealthTable();
    private final Object changed = new Object();
    private final MemberClients memberClients;
    private final ControlServer server;
    private final RpcRegistry registry = new RpcRegistry();
    private volatile Membership membership;
    private volatile String joinSecret;
    private volatile Integer containerId;
    private volatile ControlPlaneMember member;
    private volatile ControlState followed = ControlState.empty();
    private volatile Integer followedLeader;
    private volatile long followedAtNanos;
    private volatile boolean closed;
    private HeartbeatSender heartbeats;
    private HealthMonitor monitor;
    private UpgradeCoordinator upgrades;
    private Thread follower;

    public ManagementService(ManagementContext context) {
        this.context = context;
        this.memberClients = new MemberClients(this::memberEndpoints, this::memberCredentials, "management");
        ControlAuthenticator authenticator = new ControlAuthenticator(() -> joinSecret, this::tokenKey, context.localKey(),
                context.clock());
        new ManagementHandlers(this).registerAll(registry);
        this.server = new ControlServer("management " + context.qualifiedName(),
                new InetSocketAddress(context.address(), context.basePort()), registry, authenticator, this::clusterId,
                context.release());
    }

    public ManagementService start() {
        server.start();
        reloadMembership();
        return this;
    }

    /** Lets other modules (the data plane) add methods before {@link #start()}. */
    public RpcRegistry registry() {
        return registry;
    }

    ManagementContext context() {
        return context;
    }

    HealthTable healthTable() {
        return healthTable;
    }

    MemberClients memberClients() {
        return memberClients;
    }

    public Integer containerId() {
        return containerId;
    }

    public boolean isJoined() {
        return containerId != null;
    }

    public boolean isMember() {
        return member != null;
    }

    String clusterId() {
        Membership current = membership;
        return current == null ? null : current.clusterId();
    }

    String joinSecret() {
        return joinSecret;
    }

    private String tokenKey() {
        return state().secrets().tokenKey();
    }

    Credentials memberCredentials() {
        String secret = joinSecret;
        if (secret == null) {
            throw StrataException.unavailable("%s has not joined a cluster", context.qualifiedName());
        }
        return Credentials.joinSecret(context.qualifiedName(), secret);
    }

    /** This process's copy of the replicated state (a member's replica, or what a follower last saw). */
    public ControlState state() {
        ControlPlaneMember current = member;
        return current != null ? current.state() : followed;
    }

    public ClusterConfig config() {
        return state().config();
    }

    List<MemberEndpoint> memberEndpoints() {
        Membership current = membership;
        return Membership.membersOf(state().config(), current == null ? List.of() : current.members());
    }

    public ClusterView view() {
        ControlPlaneMember current = member;
        if (current != null) {
            ClusterConfig config = current.state().config();
            if (!config.isCreated() || !current.isCaughtUp()) {
                // a member that has just restarted answers only once its log has given back the configuration
                throw StrataException.unavailable("%s/%s is still loading the cluster configuration; ask another server",
                        context.hostname(), context.containerName());
            }
            return new ClusterView(config, current.leaderContainerId(), containerId, false, 0);
        }
        long ageMs = followedAtNanos == 0 ? -1
                : TimeUnit.NANOSECONDS.toMillis(context.clock().nanoTime() - followedAtNanos);
        boolean stale = ageMs < 0 || ageMs > WATCH_TIMEOUT_MS + 5_000;
        return new ClusterView(followed.config(), followedLeader, containerId, stale, ageMs);
    }

    public ManagementInfo info() {
        return new ManagementInfo(context.hostname(), context.containerName(), containerId, clusterId(),
                context.release().version(), context.release().protocol(), isMember(), context.runtime().status().ready());
    }

    /** Reads the membership files the host agent wrote and joins, if not joined already. */
    public synchronized void reloadMembership() {
        if (context.membershipFile() == null || !Files.exists(context.membershipFile())) {
            return;
        }
        Membership loaded = Json.readFile(context.membershipFile(), Membership.class);
        Integer id = loaded.containerId(context.containerName());
        if (id == null) {
            LOG.warn("{}: the membership file names no id for this container; staying out of the cluster", context.qualifiedName());
            return;
        }
        String secret;
        try {
            secret = Files.readString(context.joinSecretFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read the join secret %s: %s", context.joinSecretFile(), e.getMessage());
        }
        if (containerId != null) {
            if (!id.equals(containerId) || !loaded.clusterId().equals(clusterId())) {
                LOG.warn("{}: membership changed from container {} of {} to {} of {}; restart the container to take it",
                        context.qualifiedName(), containerId, clusterId(), id, loaded.clusterId());
            }
            joinSecret = secret;
            memberClients.reset();
            return;
        }
        membership = loaded;
        joinSecret = secret;
        containerId = id;
        LOG.info("{} joined cluster {} as container {}", context.qualifiedName(), loaded.clusterId(), id);
        if (loaded.isMember(id)) {
            startMember(loaded);
        } else {
            startFollower();
        }
        heartbeats = new HeartbeatSender(this);
        heartbeats.start();
    }

    private void startMember(Membership loaded) {
        Consumer<ControlState> onChange = state -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        member = new ControlPlaneMember(containerId, loaded.clusterId(), loaded.members(),
                context.dataDir().resolve("control-raft"), context.address(),
                ProcessIds.raftPort(context.basePort(), 0), onChange).start();
        monitor = new HealthMonitor(this, member);
        monitor.start();
        upgrades = new UpgradeCoordinator(this, member);
        upgrades.start();
    }

    private void startFollower() {
        follower = Thread.ofVirtual().name("config-follower").start(this::followLoop);
    }

    private void followLoop() {
        while (!closed) {
            try {
                JsonNode reply = memberClients.callAny(ManagementApi.WATCH,
                        new WatchRequest(followed.config().revision(), WATCH_TIMEOUT_MS), (int) WATCH_TIMEOUT_MS + 5_000);
                WatchReply watch = Json.fromTree(reply, WatchReply.class);
                followedLeader = watch.leaderContainerId();
                followedAtNanos = context.clock().nanoTime();
                if (watch.state().config().revision() >= followed.config().revision()) {
                    followed = watch.state();
                    synchronized (changed) {
                        changed.notifyAll();
                    }
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.debug("{}: following the configuration failed: {}", context.qualifiedName(), e.getMessage());
                    sleepQuietly(500);
                }
            }
        }
    }

    /** Waits until this copy of the configuration has passed {@code revision}, or the timeout. */
    public ControlState awaitRevision(long revision, long timeoutMs) {
        long deadline = context.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (changed) {
            while (state().config().revision() < revision) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - context.clock().nanoTime());
                if (leftMs <= 0) {
                    break;
                }
                try {
                    // every change of state notifies; waking on a schedule would only cost the idle cluster
                    changed.wait(leftMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return state();
    }

    /** Replicates a change, through this process's Raft peer or through a member, and waits to see it here. */
    public CommandReply submit(ConfigCommand command) {
        if (!isJoined()) {
            throw StrataException.conflict("%s belongs to no cluster yet", context.qualifiedName());
        }
        ControlPlaneMember current = member;
        CommandReply reply;
        if (current != null) {
            reply = current.submit(command);
        } else {
            reply = Json.fromTree(memberClients.callAny(ManagementApi.SUBMIT, new SubmitRequest(command), FORWARD_TIMEOUT_MS),
                    CommandReply.class);
        }
        awaitRevision(reply.revision(), 3_000);
        return reply;
    }

    /** A member's answer to a follower's long poll. */
    WatchReply watch(WatchRequest request) {
        ControlPlaneMember current = member;
        if (current == null) {
            throw new StrataException(ErrorCode.UNAVAILABLE, context.qualifiedName() + " does not keep the configuration");
        }
        ControlState state = awaitRevision(request.afterRevision() + 1, Math.min(request.timeoutMs(), WATCH_TIMEOUT_MS));
        return new WatchReply(state, current.leaderContainerId());
    }

    void recordHeartbeat(Heartbeat heartbeat) {
        healthTable.record(heartbeat, context.clock().nanoTime());
    }

    void reportExit(ExitReport report) {
        ClusterConfig config = config();
        config.findContainer(report.hostname(), report.name()).ifPresent(container -> {
            healthTable.forget(container.id());
            submit(new ConfigCommand.ReportHealth(container.id(), Health.DOWN, report.atMillis(), report.reason(), null, 0, 0, null));
        });
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        if (heartbeats != null) {
            heartbeats.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        if (upgrades != null) {
            upgrades.close();
        }
        if (follower != null) {
            follower.interrupt();
        }
        server.close();
        memberClients.close();
        ControlPlaneMember current = member;
        if (current != null) {
            current.close();
        }
    }
}
