package io.strata.control.raft;

import io.strata.config.cluster.Applied;
import io.strata.config.cluster.ConfigCommand;
import io.strata.config.cluster.ControlState;
import io.strata.runtime.Json;
import io.strata.runtime.StrataException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster configuration as a Ratis state machine. The log holds {@link ConfigCommand}s as
 * JSON; applying one replaces the immutable {@link ControlState} whole, so a reader on any
 * thread sees one complete revision or the next. Snapshots are the state as JSON.
 */
public final class ConfigStateMachine extends SnapshotFileStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigStateMachine.class);

    private final Consumer<ControlState> onChange;
    private volatile ControlState state = ControlState.empty();

    public ConfigStateMachine(Consumer<ControlState> onChange) {
        this.onChange = onChange;
    }

    public ControlState state() {
        return state;
    }

    @Override
    protected void load(SingleFileSnapshotInfo snapshot) throws IOException {
        File file = snapshot.getFile().getPath().toFile();
        state = Json.fromBytes(Files.readAllBytes(file.toPath()), ControlState.class);
        setLastAppliedTermIndex(snapshot.getTermIndex());
        onChange.accept(state);
        LOG.info("loaded configuration revision {} from snapshot {}", state.config().revision(), snapshot.getTermIndex());
    }

    @Override
    public long takeSnapshot() throws IOException {
        ControlState current = state;
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog_INVALID;
        }
        File file = getStateMachineStorage().getSnapshotFile(last.getTerm(), last.getIndex());
        io.strata.runtime.SafeFiles.writeSecret(file.toPath(), Json.toBytes(current));
        snapshotWritten(file, last);
        return last.getIndex();
    }

    private static final long RaftLog_INVALID = -1;

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
        CommandReply reply;
        synchronized (this) {
            reply = apply(data);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        }
        if (reply.ok()) {
            onChange.accept(state);
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Json.toBytes(reply))));
    }

    private CommandReply apply(byte[] data) {
        ConfigCommand command;
        try {
            command = Json.mapper().readValue(data, ConfigCommand.class);
        } catch (IOException e) {
            return new CommandReply(false, null, state.config().revision(), "INVALID_ARGUMENT", "malformed command: " + e.getMessage());
        }
        try {
            Applied applied = command.apply(state);
            state = applied.state();
            return new CommandReply(true, Json.toTree(applied.reply()), state.config().revision(), null, null);
        } catch (StrataException e) {
            return new CommandReply(false, null, state.config().revision(), e.code().name(), e.getMessage());
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(Json.toBytes(state.config()))));
    }
}
