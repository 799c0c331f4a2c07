package io.strata.compute.process;

import io.strata.compute.bucket.BucketCodec;
import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.BucketState;
import io.strata.compute.bucket.CommandResult;
import io.strata.compute.bucket.FsException;
import io.strata.control.raft.SnapshotFileStateMachine;
import io.strata.runtime.SafeFiles;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bucket replica as a Ratis state machine. The log holds {@link BucketCommand}s in the
 * bucket codec; each answer is {@code status:i32} (0 or a Linux errno) followed, on success, by
 * the encoded {@link CommandResult}. Snapshots are the bucket's own compact snapshot.
 *
 * <p>The state is owned by the apply thread; the compute process's thread reads it (lookups,
 * layouts) through {@link #read}, which takes the same lock, so a reader sees one command's
 * effects entirely or not at all.
 */
public final class BucketStateMachine extends SnapshotFileStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(BucketStateMachine.class);

    private final int bucket;
    private final int bucketCount;
    private BucketState state;
    private volatile boolean closed;

    public BucketStateMachine(int bucket, int bucketCount) {
        this.bucket = bucket;
        this.bucketCount = bucketCount;
        this.state = BucketState.create(bucket, bucketCount);
    }

    public int bucket() {
        return bucket;
    }

    /** Runs a read-only query against the current state. */
    public synchronized <T> T read(Function<BucketState, T> query) {
        return query.apply(state);
    }

    /** Ratis closed this replica (its group was removed from the server): a new one needs a new machine. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        super.close();
    }

    /** The read barrier's query: its answer is only that the replica is current (see ReadBarriers). */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    protected synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
        state = BucketState.restore(Files.readAllBytes(snapshot.getFile().getPath()));
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("bucket {} restored from snapshot {}", bucket, snapshot.getTermIndex());
    }

    @Override
    public long takeSnapshot() throws IOException {
        byte[] bytes;
        TermIndex last;
        synchronized (this) {
            bytes = state.snapshot();
            last = getLastAppliedTermIndex();
        }
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        File file = getStateMachineStorage().getSnapshotFile(last.getTerm(), last.getIndex());
        SafeFiles.writeAtomically(file.toPath(), bytes);
        snapshotWritten(file, last);
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        byte[] answer;
        synchronized (this) {
            answer = apply(data);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(answer)));
    }

    private byte[] apply(byte[] data) {
        BucketCommand command;
        try {
            command = BucketCodec.decodeCommand(data);
        } catch (RuntimeException e) {
            LOG.error("bucket {}: undecodable log entry of {} bytes", bucket, data.length, e);
            return status(22, null);
        }
        try {
            return status(0, BucketCodec.encodeResult(state.apply(command)));
        } catch (FsException e) {
            return status(e.errno(), null);
        }
    }

    static byte[] status(int errno, byte[] result) {
        int length = result == null ? 0 : result.length;
        ByteBuffer out = ByteBuffer.allocate(4 + length).order(ByteOrder.LITTLE_ENDIAN).putInt(errno);
        if (result != null) {
            out.put(result);
        }
        return out.array();
    }

    /** Splits an answer into its errno (0 on success) and result. */
    public record Answer(int errno, CommandResult result) {
    }

    public static Answer decode(byte[] answer) {
        ByteBuffer in = ByteBuffer.wrap(answer).order(ByteOrder.LITTLE_ENDIAN);
        int errno = in.getInt();
        if (errno != 0) {
            return new Answer(errno, null);
        }
        byte[] result = new byte[in.remaining()];
        in.get(result);
        return new Answer(0, BucketCodec.decodeResult(result));
    }
}
