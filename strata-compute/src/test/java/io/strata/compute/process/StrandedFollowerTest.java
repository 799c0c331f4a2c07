package io.strata.compute.process;

import static io.strata.compute.process.BucketReplicas.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.ManualClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ratis fault of a new bucket, made to happen with three real Ratis servers on loopback:
 * the group's first leader writes its first entry and loses its leadership before any follower
 * has it; the next leader writes its own entry 0 and, while its entries do not get through to
 * the old leader, its heartbeats (no previous entry, commit index 0) make the old leader count
 * its own stale entry 0 as committed. Ratis's appender then loops on that member for good.
 */
class StrandedFollowerTest {
    private static final String APPEND_ENTRIES = "RaftServerImpl.appendEntries";
    private static final String REQUEST_VOTE = "RaftServerImpl.requestVote";

    private BucketReplicas replicas;
    private final AtomicReference<RaftPeerId> firstLeader = new AtomicReference<>();
    private final AtomicBoolean strand = new AtomicBoolean();
    private final Thread testThread = Thread.currentThread();

    @AfterEach
    void stop() {
        CodeInjectionForTesting.remove(APPEND_ENTRIES);
        CodeInjectionForTesting.remove(REQUEST_VOTE);
        if (replicas != null) {
            replicas.close();
        }
    }

    @Test
    void aFollowerStrandedOnAStaleFirstEntryIsRebuiltAndCatchesUp(@TempDir Path dir) throws Exception {
        replicas = new BucketReplicas(dir);
        cutOffTheFirstLeader();
        replicas.startAll();
        BucketGroups first = strandTheFirstLeader();
        BucketGroups leader = replicas.leader();
        assertThat(leader).isNotSameAs(first);

        // Ratis alone: the member never gets past its stale entry, however long the leader sends
        BucketReplicas.createRoots(leader, 1, 5);
        Thread.sleep(3000);
        RaftServer.Division stranded = first.division(BUCKET);
        assertThat(stranded.getRaftLog().getNextIndex()).as("the stranded member's log").isEqualTo(1);
        assertThat(stranded.getRaftLog().getTermIndex(0).getTerm())
                .isLessThan(leader.division(BUCKET).getRaftLog().getTermIndex(0).getTerm());

        // the watch on that member sees it, and after its window has the replica rebuilt
        BucketStateMachine strandedMachine = (BucketStateMachine) stranded.getStateMachine();
        ManualClock clock = new ManualClock(0);
        List<Integer> rebuilds = new ArrayList<>();
        StrandedFollowerWatch watch = new StrandedFollowerWatch(first::followers, clock, bucket -> {
            rebuilds.add(bucket);
            assertThat(first.rebuild(bucket)).isTrue();
        });
        assertThat(first.followers()).singleElement().satisfies(follower -> assertThat(follower.strandedNow()).isTrue());
        assertThat(watch.poll()).isEmpty();
        clock.advance(5, TimeUnit.SECONDS);
        assertThat(watch.poll()).isEmpty();
        clock.advance(5, TimeUnit.SECONDS);
        assertThat(watch.poll()).containsExactly(BUCKET);
        assertThat(rebuilds).containsExactly(BUCKET);
        assertThat(strandedMachine.isClosed()).as("the old replica's machine, closed by Ratis").isTrue();

        // the new replica gets everything, also what is written after, and ends byte-identical
        BucketReplicas.createRoots(leader, 6, 8);
        BucketReplicas.awaitSameState(first, leader, 30);
        assertThat(first.division(BUCKET).getRaftLog().getTermIndex(0)).isEqualTo(leader.division(BUCKET).getRaftLog().getTermIndex(0));
        assertThat(first.followers()).singleElement().satisfies(follower -> assertThat(follower.strandedNow()).isFalse());
        clock.advance(20, TimeUnit.SECONDS);
        assertThat(watch.poll()).isEmpty();
    }

    /** Until the test lets go: the first member to lead is cut off from the others, and may not win again. */
    private void cutOffTheFirstLeader() {
        firstLeader.set(null);
        strand.set(true);
        CodeInjectionForTesting.put(APPEND_ENTRIES, (local, remote, args) -> {
            if (!strand.get()) {
                return false;
            }
            RaftPeerId firstId = firstLeader.get();
            if (Thread.currentThread() == testThread) {
                return false; // the test's own heartbeat below
            }
            if (firstId == null || firstId.equals(remote) || firstId.equals(local)) {
                throw new IllegalStateException("dropped by the test: the first leader is cut off");
            }
            return false;
        });
        // and once cut off, it may not win again (its longer log would get it the others' votes)
        CodeInjectionForTesting.put(REQUEST_VOTE, (local, candidate, args) -> {
            RaftPeerId firstId = firstLeader.get();
            if (strand.get() && firstId != null && firstId.equals(candidate)) {
                throw new IllegalStateException("dropped by the test: the first leader's vote requests");
            }
            return false;
        });
    }

    /** Lets the first leader write its entry alone, then lets it count that entry as committed. */
    private BucketGroups strandTheFirstLeader() throws Exception {
        AtomicReference<BucketGroups> first = new AtomicReference<>();
        BucketReplicas.await("a first leader with its own first entry", 20, () -> {
            for (BucketGroups server : replicas.servers()) {
                RaftServer.Division division = server.division(BUCKET);
                if (division != null && division.getInfo().isLeader() && division.getRaftLog().getNextIndex() >= 1) {
                    first.set(server);
                    firstLeader.set(division.getId());
                    return true;
                }
            }
            return false;
        });
        BucketGroups next = replicas.leader();
        RaftServer.Division stale = first.get().division(BUCKET);
        RaftServer.Division leading = next.division(BUCKET);
        // what the next leader sends a follower whose next index is 0 when a heartbeat is due:
        // no previous entry, and its commit index (Ratis caps it at 0, the first index, for want of a previous)
        RaftRpcRequestProto rpc = RaftRpcRequestProto.newBuilder()
                .setRequestorId(leading.getId().toByteString())
                .setReplyId(stale.getId().toByteString())
                .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(leading.getGroup().getGroupId().toByteString()))
                .setCallId(1)
                .build();
        AppendEntriesRequestProto heartbeat = AppendEntriesRequestProto.newBuilder()
                .setServerRequest(rpc)
                .setLeaderTerm(leading.getInfo().getCurrentTerm())
                .setLeaderCommit(0)
                .build();
        stale.getRaftServer().appendEntries(heartbeat);
        assertThat(stale.getRaftLog().getLastCommittedIndex()).as("the stale member's commit index").isZero();
        strand.set(false);
        assertThat(stale.getRaftLog().getTermIndex(0).getTerm()).isLessThan(leading.getRaftLog().getTermIndex(0).getTerm());
        return first.get();
    }
}
