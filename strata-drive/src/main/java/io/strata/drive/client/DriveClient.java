package io.strata.drive.client;

import io.strata.config.ProcessIds;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.DriveEntry;
import io.strata.control.process.PeerConnections;
import io.strata.control.process.ProcessContext;
import io.strata.drive.store.ChunkStatus;
import io.strata.drive.wire.DriveFrames;
import io.strata.protocol.Frame;
import java.nio.ByteBuffer;

/**
 * Chunk reads and writes to whichever drive process serves a drive, for compute and frontend
 * processes. Runs on the caller's own thread; a drive process that is momentarily BUSY is asked
 * again after a short pause, a bounded number of times.
 */
public final class DriveClient {
    public static final long DEFAULT_TIMEOUT_MS = 5_000;
    private static final int BUSY_RETRIES = 200;
    private static final long BUSY_PAUSE_MS = 2;

    /** The outcome of a chunk operation: a ChunkStatus ordinal, a DriveFrames status, or {@link #UNREACHABLE}. */
    public interface Completion {
        /** {@code data} is the read's bytes (valid during the call only), empty for writes and failures. */
        void done(int status, ByteBuffer data);
    }

    public static final int UNREACHABLE = 1000;

    private final ProcessContext context;

    public DriveClient(ProcessContext context) {
        this.context = context;
    }

    /** The process serving a drive, or -1 when the configuration has no such drive. */
    public static int processOf(ClusterConfig config, int drive) {
        DriveEntry entry = config.dataPlane().drives().get(drive);
        return entry == null ? -1 : ProcessIds.processId(entry.containerId(), entry.slot());
    }

    public static boolean isOk(int status) {
        return status == ChunkStatus.OK.ordinal();
    }

    public static String describe(int status) {
        if (status == UNREACHABLE) {
            return "drive process unreachable";
        }
        if (status == DriveFrames.STATUS_BUSY) {
            return "busy";
        }
        if (status == DriveFrames.STATUS_NO_DRIVE) {
            return "drive not served";
        }
        return status >= 0 && status < ChunkStatus.values().length ? ChunkStatus.values()[status].name() : "status " + status;
    }

    /** Writes a chunk; {@code payload} is not copied and goes back through {@code onSent}. */
    public void write(DriveFrames.WriteHeader header, ByteBuffer payload, Runnable onSent, Completion completion) {
        write(header, payload, onSent, completion, BUSY_RETRIES);
    }

    private void write(DriveFrames.WriteHeader header, ByteBuffer payload, Runnable onSent, Completion completion, int retries) {
        int process = processOf(context.config().get(), header.drive());
        if (process < 0) {
            if (onSent != null) {
                onSent.run();
            }
            completion.done(DriveFrames.STATUS_NO_DRIVE, ByteBuffer.allocate(0));
            return;
        }
        ByteBuffer view = payload.duplicate();
        context.peers().request(process, DriveFrames.CHUNK_WRITE, DEFAULT_TIMEOUT_MS, new PeerConnections.ResponseHandler() {
            @Override
            public void onResponse(Frame frame) {
                int status = DriveFrames.resultStatus(frame.payload());
                if (status == DriveFrames.STATUS_BUSY && retries > 0) {
                    context.timers().after(BUSY_PAUSE_MS, () -> write(header, payload, onSent, completion, retries - 1));
                    return;
                }
                if (onSent != null && status != DriveFrames.STATUS_BUSY) {
                    onSent.run();
                }
                completion.done(status, ByteBuffer.allocate(0));
            }

            @Override
            public void onFailure(String reason) {
                if (onSent != null) {
                    onSent.run();
                }
                completion.done(UNREACHABLE, ByteBuffer.allocate(0));
            }
        }, null, DriveFrames.writeHeader(header), view);
    }

    /** Reads part of a chunk; the data handed to the completion is valid during the call only. */
    public void read(DriveFrames.ReadRequest request, Completion completion) {
        read(request, completion, BUSY_RETRIES);
    }

    private void read(DriveFrames.ReadRequest request, Completion completion, int retries) {
        int process = processOf(context.config().get(), request.drive());
        if (process < 0) {
            completion.done(DriveFrames.STATUS_NO_DRIVE, ByteBuffer.allocate(0));
            return;
        }
        context.peers().request(process, DriveFrames.CHUNK_READ, DEFAULT_TIMEOUT_MS, new PeerConnections.ResponseHandler() {
            @Override
            public void onResponse(Frame frame) {
                int status = DriveFrames.resultStatus(frame.payload());
                if (status == DriveFrames.STATUS_BUSY && retries > 0) {
                    context.timers().after(BUSY_PAUSE_MS, () -> read(request, completion, retries - 1));
                    return;
                }
                completion.done(status, isOk(status) ? DriveFrames.resultData(frame.payload()) : ByteBuffer.allocate(0));
            }

            @Override
            public void onFailure(String reason) {
                completion.done(UNREACHABLE, ByteBuffer.allocate(0));
            }
        }, null, ByteBuffer.wrap(DriveFrames.read(request)));
    }

    public void fence(DriveFrames.FenceRequest request, Completion completion) {
        int process = processOf(context.config().get(), request.drive());
        if (process < 0) {
            completion.done(DriveFrames.STATUS_NO_DRIVE, ByteBuffer.allocate(0));
            return;
        }
        context.peers().request(process, DriveFrames.DRIVE_FENCE, DEFAULT_TIMEOUT_MS, new PeerConnections.ResponseHandler() {
            @Override
            public void onResponse(Frame frame) {
                completion.done(DriveFrames.resultStatus(frame.payload()), ByteBuffer.allocate(0));
            }

            @Override
            public void onFailure(String reason) {
                completion.done(UNREACHABLE, ByteBuffer.allocate(0));
            }
        }, null, ByteBuffer.wrap(DriveFrames.fence(request)));
    }
}
