package io.strata.control.raft;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * How Strata runs Apache Ratis, for the control plane and for buckets alike: Netty transport,
 * elections within 1-2 s so a lost leader is replaced quickly, small log segments, and
 * snapshots often enough that logs stay bounded.
 */
public final class RaftSettings {
    public static final TimeDuration ELECTION_TIMEOUT_MIN = TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS);
    public static final TimeDuration ELECTION_TIMEOUT_MAX = TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS);
    public static final long SNAPSHOT_EVERY_ENTRIES = 2000;

    private RaftSettings() {
    }

    /**
     * Settings for buckets' groups: a member acknowledges an entry once it is in its log, before
     * the log reaches the disk. An entry counts as committed when a majority of the group's members,
     * each in another failure domain, hold it, so it survives the loss of any one domain with a
     * group of three (any two with five) without waiting for an fsync on the write path; logs reach
     * the disk a moment later on their own.
     */
    public static RaftProperties bucketProperties(Path storageDir, String host, int port) {
        RaftProperties properties = properties(storageDir, host, port);
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(properties, true);
        // reads wait for a read index (free while the leader's lease holds, which Ratis drops
        // during a leadership transfer), so a deposed leader never answers from an old state
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(properties, true);
        return properties;
    }

    public static RaftProperties properties(Path storageDir, String host, int port) {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setHost(properties, host);
        NettyConfigKeys.Server.setPort(properties, port);
        RaftServerConfigKeys.setStorageDir(properties, List.of(storageDir.toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, ELECTION_TIMEOUT_MIN);
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, ELECTION_TIMEOUT_MAX);
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(properties, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(properties, TimeDuration.valueOf(1500, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setRequestTimeout(properties, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, SNAPSHOT_EVERY_ENTRIES);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(properties, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(properties, true);
        RaftServerConfigKeys.Log.setSegmentSizeMax(properties, SizeInBytes.valueOf("4MB"));
        RaftServerConfigKeys.Log.setPreallocatedSize(properties, SizeInBytes.valueOf("1MB"));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(properties, SizeInBytes.valueOf("1MB"));
        RaftServerConfigKeys.Log.setWriteBufferSize(properties, SizeInBytes.valueOf("2MB"));
        RaftServerConfigKeys.Log.setSegmentCacheNumMax(properties, 2);
        return properties;
    }
}
