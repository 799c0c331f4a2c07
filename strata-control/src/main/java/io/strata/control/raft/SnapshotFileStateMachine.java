package io.strata.control.raft;

import java.io.File;
import java.io.IOException;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * A Ratis state machine whose snapshot is one file, loaded when the replica starts and again
 * when its leader installs a newer one (a replica that returns after the leader purged the log
 * entries it lacks). Ratis installs a snapshot by pausing the state machine, moving the file in
 * and reinitializing it, and checks that the machine's life cycle went through PAUSED: a
 * machine that skips these steps fails the install and closes its replica.
 */
public abstract class SnapshotFileStateMachine extends BaseStateMachine {
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    @Override
    public final SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            loadLatest();
        }, IOException.class);
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        loadLatest();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void loadLatest() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot != null) {
            load(snapshot);
        }
    }

    /**
     * Makes a snapshot file just written the one Ratis sends to a replica that needs a snapshot.
     * Its digest goes beside it (Ratis sends it along, and the receiver checks the file against
     * it). And the storage learns of it: it caches the latest snapshot it found, and would
     * otherwise go on offering that one after the retention policy deleted its file.
     */
    protected final void snapshotWritten(File snapshot, TermIndex last) {
        MD5Hash digest = MD5FileUtil.computeAndSaveMd5ForFile(snapshot);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(snapshot.toPath(), digest), last.getTerm(),
                last.getIndex()));
    }

    /** Replaces the whole state with the snapshot's, and sets the last applied index to its own. */
    protected abstract void load(SingleFileSnapshotInfo snapshot) throws IOException;
}
