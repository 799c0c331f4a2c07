package io.strata.compute.process;

import io.strata.config.ProcessIds;
import io.strata.config.cluster.BucketEntry;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.control.raft.RaftSettings;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.statemachine.StateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buckets a compute process replicates: one Ratis server per compute process hosting one
 * Raft group per bucket it is a member of. A leader submits its own commands to the local
 * server (no client, no extra hop); followers answer NOT_LEADER with the leader they know.
 */
public final class BucketGroups implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BucketGroups.class);

    private final int processId;
    private final String clusterId;
    private final RaftServer server;
    private final Path storageDir;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final Map<Integer, RaftGroupId> groups = new HashMap<>();
    private final Map<RaftGroupId, Integer> bucketOfGroup = new HashMap<>();

    public BucketGroups(int processId, String clusterId, Path storageDir, String host, int raftPort,
            IntFunction<StateMachine> stateMachines) {
        this.processId = processId;
        this.clusterId = clusterId;
        this.storageDir = storageDir;
        RaftProperties properties = RaftSettings.bucketProperties(storageDir, host, raftPort);
        try {
            Files.createDirectories(storageDir);
            this.server = RaftServer.newBuilder()
                    .setServerId(peerId(processId))
                    .setProperties(properties)
                    .setStateMachineRegistry(groupId -> stateMachines.apply(bucketFromGroupDir(groupId)))
                    .build();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot create the buckets' Raft server in %s: %s", storageDir, e.getMessage());
        }
    }

    public static RaftPeerId peerId(int processId) {
        return RaftPeerId.valueOf("p" + processId);
    }

    public static int processIdOf(RaftPeerId peer) {
        return Integer.parseInt(peer.toString().substring(1));
    }

    public static RaftGroupId groupId(String clusterId, int bucket) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("strata-bucket:" + clusterId + ":" + bucket).getBytes(StandardCharsets.UTF_8)));
    }

    /** Which bucket a group id is: tried against every possible bucket number (groups are few). */
    private int bucketFromGroupDir(RaftGroupId groupId) {
        Integer known = bucketOfGroup.get(groupId);
        if (known != null) {
            return known;
        }
        for (int bucket = 0; bucket < 4096; bucket++) {
            if (groupId(clusterId, bucket).equals(groupId)) {
                bucketOfGroup.put(groupId, bucket);
                return bucket;
            }
        }
        throw new IllegalStateException("group " + groupId + " is no bucket of cluster " + clusterId);
    }

    public void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot start the buckets' Raft server: %s", e.getMessage());
        }
        for (RaftGroupId existing : server.getGroupIds()) {
            int bucket = bucketFromGroupDir(existing);
            groups.put(bucket, existing);
        }
        LOG.info("bucket server p{} started with {} recovered groups", processId, groups.size());
    }

    /** Adds the groups of the buckets this process is now a member of. */
    public synchronized void reconcile(ClusterConfig config) {
        for (BucketEntry bucket : config.dataPlane().buckets()) {
            if (!bucket.members().contains(processId) || groups.containsKey(bucket.id())) {
                continue;
            }
            RaftGroup group = group(config, bucket);
            // a group whose folder exists (an earlier add that failed half way) is recovered, not formatted
            add(bucket.id(), group, !Files.isDirectory(groupDir(group.getGroupId())));
        }
    }

    private Path groupDir(RaftGroupId group) {
        return storageDir.resolve(group.getUuid().toString());
    }

    /** Adds one bucket's group to this server: a new (formatted) replica, or one recovered from its folder. */
    synchronized boolean add(int bucket, RaftGroup group, boolean format) {
        try {
            RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(clientId, server.getId(),
                    callIds.incrementAndGet(), group, format));
            if (!reply.isSuccess()) {
                LOG.warn("bucket {} could not be added: {}", bucket, reply.getException());
                return false;
            }
            groups.put(bucket, group.getGroupId());
            bucketOfGroup.put(group.getGroupId(), bucket);
            LOG.info("replicating bucket {} with {}", bucket, group.getPeers().stream().map(RaftPeer::getId).toList());
            return true;
        } catch (IOException e) {
            LOG.warn("bucket {} could not be added: {}", bucket, e.getMessage());
            return false;
        }
    }

    private RaftGroup group(ClusterConfig config, BucketEntry bucket) {
        List<RaftPeer> peers = new ArrayList<>();
        for (int member : bucket.members()) {
            ContainerEntry container = config.containers().get(ProcessIds.containerOf(member));
            int port = ProcessIds.raftPort(container.basePort(), ProcessIds.slotOf(member));
            peers.add(RaftPeer.newBuilder().setId(peerId(member)).setAddress(container.address() + ":" + port).build());
        }
        return RaftGroup.valueOf(groupId(config.clusterId(), bucket.id()), peers);
    }

    public synchronized java.util.Set<Integer> buckets() {
        return new java.util.TreeSet<>(groups.keySet());
    }

    /** This server's replica of the bucket, or null when it has none (now). */
    RaftServer.Division division(int bucket) {
        RaftGroupId group;
        synchronized (this) {
            group = groups.get(bucket);
        }
        if (group == null) {
            return null;
        }
        try {
            return server.getDivision(group);
        } catch (IOException e) {
            return null;
        }
    }

    private DivisionInfo info(int bucket) {
        RaftServer.Division division = division(bucket);
        return division == null ? null : division.getInfo();
    }

    /** True when this process leads the bucket and has applied everything its predecessors committed. */
    public boolean isLeader(int bucket) {
        DivisionInfo info = info(bucket);
        return info != null && info.isLeader() && info.isLeaderReady();
    }

    /** The process leading the bucket as far as this replica knows, or -1. */
    public int leaderOf(int bucket) {
        DivisionInfo info = info(bucket);
        return info == null || info.getLeaderId() == null ? -1 : processIdOf(info.getLeaderId());
    }

    public long term(int bucket) {
        DivisionInfo info = info(bucket);
        return info == null ? 0 : info.getCurrentTerm();
    }

    /** Replicates a command through this (leading) replica; completes with the state machine's answer. */
    public CompletableFuture<byte[]> submit(int bucket, byte[] command) {
        return send(bucket, Message.valueOf(ByteString.copyFrom(command)), RaftClientRequest.writeRequestType())
                .thenApply(reply -> {
                    if (!reply.isSuccess()) {
                        throw StrataException.unavailable("bucket %d did not commit: %s", bucket,
                                reply.getException() == null ? "no quorum" : reply.getException().getMessage());
                    }
                    return reply.getMessage().getContent().toByteArray();
                });
    }

    /**
     * A linearizable read barrier: completes once this replica has confirmed its leadership (by
     * its lease, or by a round of heartbeats) and applied everything committed before the call.
     */
    public CompletableFuture<Void> readBarrier(int bucket) {
        return send(bucket, Message.EMPTY, RaftClientRequest.readRequestType()).thenApply(reply -> {
            if (!reply.isSuccess()) {
                throw StrataException.unavailable("bucket %d cannot be read here now: %s", bucket,
                        reply.getException() == null ? "no leadership" : reply.getException().getMessage());
            }
            return null;
        });
    }

    /** Hands a request to the local Raft server: no client, no extra hop. */
    private CompletableFuture<RaftClientReply> send(int bucket, Message message, RaftClientRequest.Type type) {
        RaftGroupId group;
        synchronized (this) {
            group = groups.get(bucket);
        }
        if (group == null) {
            return CompletableFuture.failedFuture(StrataException.unavailable("bucket %d is not replicated here", bucket));
        }
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(server.getId())
                .setGroupId(group).setCallId(callIds.incrementAndGet()).setMessage(message).setType(type).build();
        try {
            return server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(StrataException.unavailable("bucket %d: %s", bucket, e.getMessage()));
        }
    }

    /**
     * For each group this process leads, what it knows of each follower, with the CPU used so far
     * by the Ratis thread that appends to that follower (see {@link AppenderWatch}).
     */
    List<AppenderWatch.Replication> replications() {
        Map<String, Long> appenderCpu = null;
        List<AppenderWatch.Replication> replications = new ArrayList<>();
        for (int bucket : buckets()) {
            RaftServer.Division division = division(bucket);
            if (division == null || !division.getInfo().isLeader()) {
                continue;
            }
            DivisionInfo info = division.getInfo();
            RaftProtos.RoleInfoProto role = info.getRoleInfoProto();
            if (!role.hasLeaderInfo()) {
                continue;
            }
            List<RaftProtos.ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
            long[] next = info.getFollowerNextIndices();
            long[] match = info.getFollowerMatchIndices();
            if (next == null || match == null || next.length != followers.size() || match.length != followers.size()) {
                continue; // leadership was lost (Ratis answers null) or the followers changed between the calls
            }
            if (appenderCpu == null) {
                appenderCpu = appenderThreadCpu();
            }
            String member = division.getMemberId().toString();
            long leaderNext = division.getRaftLog().getNextIndex();
            for (int i = 0; i < followers.size(); i++) {
                String follower = followers.get(i).getId().getId().toStringUtf8();
                long cpu = appenderCpu.getOrDefault(member + "->" + follower, -1L);
                replications.add(new AppenderWatch.Replication(bucket, member, follower, match[i], next[i], leaderNext, cpu));
            }
        }
        return replications;
    }

    /** This process's follower replicas as {@link StrandedFollowerWatch} reads them. */
    List<StrandedFollowerWatch.Follower> followers() {
        List<StrandedFollowerWatch.Follower> followers = new ArrayList<>();
        for (int bucket : buckets()) {
            RaftServer.Division division = division(bucket);
            if (division == null || !division.getInfo().isFollower()) {
                continue;
            }
            DivisionInfo info = division.getInfo();
            RaftProtos.RoleInfoProto role = info.getRoleInfoProto();
            long leaderSilentMs = role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                    ? role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs() : -1;
            RaftLog log = division.getRaftLog();
            TermIndex first = log.getTermIndex(0);
            followers.add(new StrandedFollowerWatch.Follower(bucket, division.getMemberId().toString(), info.getCurrentTerm(),
                    log.getNextIndex(), first == null ? -1 : first.getTerm(), log.getLastCommittedIndex(), leaderSilentMs));
        }
        return followers;
    }

    /**
     * Throws this process's replica of the bucket away and joins the group again with an empty
     * log, under the group's current configuration; its leader then sends it everything (see
     * {@link StrandedFollowerWatch} for when this is safe). The bucket stays in this process's
     * list throughout, so {@link #reconcile} does not add it meanwhile.
     */
    boolean rebuild(int bucket) {
        RaftServer.Division division = division(bucket);
        if (division == null) {
            return false;
        }
        RaftGroup group = division.getGroup();
        try {
            RaftClientReply removed = server.groupManagement(GroupManagementRequest.newRemove(clientId, server.getId(),
                    callIds.incrementAndGet(), group.getGroupId(), true, false));
            if (!removed.isSuccess()) {
                LOG.warn("bucket {}: the replica to rebuild could not be removed: {}", bucket, removed.getException());
                return false;
            }
        } catch (IOException e) {
            LOG.warn("bucket {}: the replica to rebuild could not be removed: {}", bucket, e.getMessage());
            return false;
        }
        boolean added = add(bucket, group, true);
        LOG.info("bucket {}: replica {} {}", bucket, division.getMemberId(), added ? "rebuilt empty" : "removed, not added again yet");
        if (!added) {
            synchronized (this) {
                groups.remove(bucket); // reconcile adds it again
            }
        }
        return added;
    }

    /**
     * CPU time so far of this JVM's Ratis log appender threads, by {@code <leader>@<group>-><follower>}:
     * Ratis names each such thread that, followed by {@code -LogAppender...}.
     */
    private static Map<String, Long> appenderThreadCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        if (!threads.isThreadCpuTimeSupported() || !threads.isThreadCpuTimeEnabled()) {
            return cpu;
        }
        for (java.lang.management.ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            int end = thread == null ? -1 : thread.getThreadName().indexOf("-LogAppender");
            if (end > 0) {
                long nanos = threads.getThreadCpuTime(thread.getThreadId());
                if (nanos >= 0) {
                    cpu.put(thread.getThreadName().substring(0, end), nanos);
                }
            }
        }
        return cpu;
    }

    /** Asks the group to move leadership to another member (before this process stops). */
    public void transferLeadership(int bucket, int toProcessId, long timeoutMs) {
        RaftGroupId group;
        synchronized (this) {
            group = groups.get(bucket);
        }
        if (group == null) {
            return;
        }
        try {
            server.transferLeadership(new org.apache.ratis.protocol.TransferLeadershipRequest(clientId, server.getId(), group,
                    callIds.incrementAndGet(), peerId(toProcessId), timeoutMs));
        } catch (IOException e) {
            LOG.warn("leadership of bucket {} did not move to p{}: {}", bucket, toProcessId, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the buckets' Raft server: {}", e.getMessage());
        }
    }
}
