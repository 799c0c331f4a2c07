package io.strata.control.raft;

import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ControlState;
import io.strata.config.cluster.MemberEndpoint;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keeper of the cluster configuration: a Ratis peer in the control group, with a client
 * through which changes reach whichever peer leads. Up to five management processes in
 * distinct failure domains are members; the rest follow through them.
 */
public final class ControlPlaneMember implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneMember.class);
    private static final int SUBMIT_ATTEMPTS = 40;
    private static final int CLOSED_CONNECTION_ATTEMPTS = 8;
    private static final TimeDuration SUBMIT_RETRY_SLEEP = TimeDuration.valueOf(250, TimeUnit.MILLISECONDS);

    private final int containerId;
    private final RaftGroup group;
    private final ConfigStateMachine stateMachine;
    private final RaftServer server;
    private final RaftClient client;

    public ControlPlaneMember(int containerId, String clusterId, List<MemberEndpoint> members, Path storageDir, String host,
            int raftPort, Consumer<ControlState> onChange) {
        this.containerId = containerId;
        this.group = group(clusterId, members);
        this.stateMachine = new ConfigStateMachine(onChange);
        RaftProperties properties = RaftSettings.properties(storageDir, host, raftPort);
        boolean fresh = !Files.isDirectory(storageDir.resolve(group.getGroupId().getUuid().toString()));
        try {
            Files.createDirectories(storageDir);
            this.server = RaftServer.newBuilder()
                    .setServerId(peerId(containerId))
                    .setGroup(group)
                    .setStateMachine(stateMachine)
                    .setProperties(properties)
                    .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER)
                    .build();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot create the control plane's Raft peer in %s: %s", storageDir, e.getMessage());
        }
        this.client = RaftClient.newBuilder()
                .setProperties(properties)
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(SUBMIT_ATTEMPTS, SUBMIT_RETRY_SLEEP))
                .build();
    }

    public static RaftGroupId groupId(String clusterId) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("strata-control:" + clusterId).getBytes(StandardCharsets.UTF_8)));
    }

    public static RaftPeerId peerId(int containerId) {
        return RaftPeerId.valueOf("c" + containerId);
    }

    public static int containerIdOf(RaftPeerId peerId) {
        return Integer.parseInt(peerId.toString().substring(1));
    }

    static RaftGroup group(String clusterId, List<MemberEndpoint> members) {
        List<RaftPeer> peers = members.stream()
                .map(m -> RaftPeer.newBuilder().setId(peerId(m.containerId())).setAddress(m.address() + ":" + m.raftPort()).build())
                .toList();
        return RaftGroup.valueOf(groupId(clusterId), peers);
    }

    public ControlPlaneMember start() {
        try {
            server.start();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot start the control plane's Raft peer: %s", e.getMessage());
        }
        LOG.info("control plane member c{} started in group {} with {} peers", containerId, group.getGroupId(), group.getPeers().size());
        return this;
    }

    public int containerId() {
        return containerId;
    }

    public ControlState state() {
        return stateMachine.state();
    }

    private DivisionInfo info() {
        try {
            return server.getDivision(group.getGroupId()).getInfo();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Whether this member's state has applied everything its log knows to be committed: after a
     * restart it replays its log first, and until then its configuration is an old one. A few
     * entries committed but not yet applied are normal under load and do not count.
     */
    public boolean isCaughtUp() {
        try {
            RaftServer.Division division = server.getDivision(group.getGroupId());
            return division.getRaftLog().getLastCommittedIndex() - division.getInfo().getLastAppliedIndex() <= 16;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean isLeader() {
        DivisionInfo info = info();
        return info != null && info.isLeader() && info.isLeaderReady();
    }

    /** The container whose management process leads the control group, or null during an election. */
    public Integer leaderContainerId() {
        DivisionInfo info = info();
        if (info == null || info.getLeaderId() == null) {
            return null;
        }
        return containerIdOf(info.getLeaderId());
    }

    public long term() {
        DivisionInfo info = info();
        return info == null ? 0 : info.getCurrentTerm();
    }

    /** Replicates a command and returns the state machine's answer; throws its refusal. */
    public CommandReply submit(ConfigCommand command) {
        RaftClientReply reply = send(command);
        if (!reply.isSuccess()) {
            throw new StrataException(ErrorCode.UNAVAILABLE, "the control plane did not accept the change: "
                    + (reply.getException() == null ? "no quorum" : reply.getException().getMessage()));
        }
        CommandReply decoded = Json.fromBytes(reply.getMessage().getContent().toByteArray(), CommandReply.class);
        if (!decoded.ok()) {
            throw new StrataException(ErrorCode.parse(decoded.code()), decoded.message());
        }
        return decoded;
    }

    /**
     * Sends one command. Ratis's own retry policy covers elections and timeouts but hands back at once when the
     * connection it picked is already closed (a peer that was still starting when first dialled); that
     * connection is replaced by then, so the command is sent again on a fresh one.
     */
    private RaftClientReply send(ConfigCommand command) {
        Message message;
        try {
            message = Message.valueOf(ByteString.copyFrom(Json.mapper().writeValueAsBytes(command)));
        } catch (IOException e) {
            throw new StrataException(ErrorCode.INTERNAL, "cannot encode the command: " + e.getMessage());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return client.io().send(message);
            } catch (AlreadyClosedException e) {
                if (attempt >= CLOSED_CONNECTION_ATTEMPTS) {
                    throw new StrataException(ErrorCode.UNAVAILABLE, "the control plane did not accept the change: " + e.getMessage());
                }
                LOG.debug("the connection closed under a command ({}); sending it again", e.getMessage());
                try {
                    SUBMIT_RETRY_SLEEP.sleep();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StrataException(ErrorCode.UNAVAILABLE, "interrupted while sending a command to the control plane");
                }
            } catch (IOException e) {
                throw new StrataException(ErrorCode.UNAVAILABLE, "the control plane did not accept the change: " + e.getMessage());
            }
        }
    }

    /** Asks the group to make {@code target} its leader (used before that member's container stops). */
    public void transferLeadership(int targetContainerId, long timeoutMs) {
        try {
            client.admin().transferLeadership(peerId(targetContainerId), timeoutMs);
        } catch (IOException e) {
            throw StrataException.unavailable("leadership did not move to c%d: %s", targetContainerId, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            LOG.debug("closing the Raft client: {}", e.getMessage());
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the Raft peer: {}", e.getMessage());
        }
    }
}
