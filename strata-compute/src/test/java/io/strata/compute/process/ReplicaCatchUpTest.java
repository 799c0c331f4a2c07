package io.strata.compute.process;

import static io.strata.compute.process.BucketReplicas.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.SnapshotManagementRequest;
import org.apache.ratis.server.RaftServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bucket replica that was down while its group went on catches up when it returns: from the
 * leader's log while the leader still holds what it missed, and from a snapshot once the leader
 * took one and purged its log past what the replica holds (a compute container down for long).
 */
class ReplicaCatchUpTest {
    private BucketReplicas replicas;

    @AfterEach
    void stop() {
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void aReplicaBackAfterTheLeaderPurgedItsLogCatchesUpFromASnapshot(@TempDir Path dir) throws Exception {
        replicas = new BucketReplicas(dir);
        replicas.startAll();
        BucketGroups leader = replicas.leader();
        BucketReplicas.createRoots(leader, 1, 10);
        int away = (replicas.indexOf(leader) + 1) % 3;
        BucketReplicas.awaitSameState(replicas.servers().get(away), leader, 20);
        replicas.stop(away);

        BucketReplicas.createRoots(leader, 11, 1200);
        // a new term closes the log's segment (Ratis purges whole closed segments only); the new
        // leader's snapshot then lets it purge them (Ratis purges in steps of 1024 entries)
        int other = 3 - away - replicas.indexOf(leader);
        BucketGroups from = leader;
        BucketGroups to = replicas.servers().get(other);
        from.transferLeadership(BUCKET, replicas.processId(other), 10_000);
        BucketReplicas.await("leadership moved", 30, () -> {
            if (!to.isLeader(BUCKET) && from.isLeader(BUCKET)) {
                from.transferLeadership(BUCKET, replicas.processId(other), 5_000); // asked again on a slow machine
            }
            return to.isLeader(BUCKET);
        });
        leader = to;
        RaftServer.Division leading = leader.division(BUCKET);
        RaftClientReply snapshot = leading.getRaftServer().snapshotManagement(SnapshotManagementRequest.newCreate(
                ClientId.randomId(), leading.getId(), leading.getGroup().getGroupId(), 1, 10_000));
        assertThat(snapshot.isSuccess()).as("%s", snapshot).isTrue();
        BucketReplicas.await("the leader's log purged up to its snapshot", 30, () -> leading.getRaftLog().getStartIndex() > 1000);

        BucketGroups back = replicas.restart(away);
        BucketReplicas.awaitSameState(back, leader, 60);
        assertThat(back.division(BUCKET).getStateMachine().getLatestSnapshot().getIndex()).as("the snapshot it was sent")
                .isGreaterThanOrEqualTo(snapshot.getLogIndex());
        BucketReplicas.createRoots(leader, 3000, 3010);
        BucketReplicas.awaitSameState(back, leader, 20);
    }

    @Test
    void aReplicaBackSoonCatchesUpFromTheLeadersLog(@TempDir Path dir) throws Exception {
        replicas = new BucketReplicas(dir);
        replicas.startAll();
        BucketGroups leader = replicas.leader();
        int away = (replicas.indexOf(leader) + 2) % 3;
        BucketReplicas.createRoots(leader, 1, 10);
        BucketReplicas.awaitSameState(replicas.servers().get(away), leader, 20);
        replicas.stop(away);
        BucketReplicas.createRoots(leader, 11, 300);
        BucketGroups back = replicas.restart(away);
        BucketReplicas.awaitSameState(back, leader, 30);
    }
}
