package io.strata.drive.process;

import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.DriveEntry;
import io.strata.config.ProcessIds;
import io.strata.control.process.ProcessContext;
import io.strata.control.process.ProcessService;
import io.strata.drive.store.ChunkStatus;
import io.strata.drive.store.Drive;
import io.strata.drive.store.DriveIo;
import io.strata.drive.store.DriveIoOptions;
import io.strata.drive.store.DriveOp;
import io.strata.drive.store.DriveOptions;
import io.strata.drive.store.IoBuffer;
import io.strata.drive.wire.DriveFrames;
import io.strata.protocol.Frame;
import io.strata.protocol.nio.Connection;
import io.strata.runtime.StrataException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A drive process: serves chunk reads and writes for the drives the cluster assigned to it.
 *
 * <p>Everything happens on the process's pinned thread: a frame arrives, its payload is copied
 * once into an aligned IO buffer, the operation goes to the drive's IO engine, and its
 * completion (polled in the duty cycle) becomes the answer. Read data goes back to the network
 * straight from the IO buffer, which returns to the pool once the socket took it. When no
 * buffer or queue slot is free the answer is BUSY and the caller tries again: nothing waits here.
 */
public final class DriveService implements ProcessService {
    private static final Logger LOG = LoggerFactory.getLogger(DriveService.class);
    private static final long REFRESH_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int COMPLETIONS_PER_CYCLE = 256;

    private final DriveIoOptions ioOptions;
    private final Map<Integer, OpenDrive> drives = new HashMap<>();
    private final ArrayDeque<DriveOp> spareOps = new ArrayDeque<>();
    private ProcessContext context;
    private long nextRefreshNanos;

    private record OpenDrive(DriveEntry entry, Drive drive, DriveIo io) {
    }

    public DriveService(DriveIoOptions ioOptions) {
        this.ioOptions = ioOptions;
    }

    public static DriveService standard() {
        return new DriveService(DriveIoOptions.defaults().withBuffers(32, DriveIoOptions.DEFAULT_BUFFER_BYTES));
    }

    @Override
    public void onStart(ProcessContext processContext) {
        this.context = processContext;
    }

    @Override
    public int doWork() {
        int work = 0;
        long now = context.clock().nanoTime();
        if (now >= nextRefreshNanos) {
            nextRefreshNanos = now + REFRESH_INTERVAL_NS;
            refreshDrives();
        }
        for (OpenDrive open : drives.values()) {
            work += open.io().poll(this::onComplete, COMPLETIONS_PER_CYCLE);
        }
        return work;
    }

    /** Opens the drives the configuration assigns to this process, closes those it no longer does. */
    private void refreshDrives() {
        ClusterConfig config = context.config().get();
        int processId = context.processId().get();
        if (processId < 0 || !config.isCreated()) {
            return;
        }
        int containerId = ProcessIds.containerOf(processId);
        for (DriveEntry entry : config.dataPlane().drives().values()) {
            boolean mine = entry.containerId() == containerId && entry.slot() == context.slot() && entry.active();
            if (mine && !drives.containsKey(entry.id())) {
                open(entry, config.clusterId());
            } else if (!mine && drives.containsKey(entry.id())) {
                close(drives.remove(entry.id()));
            }
        }
        drives.keySet().removeIf(id -> {
            if (!config.dataPlane().drives().containsKey(id)) {
                close(drives.get(id));
                return true;
            }
            return false;
        });
    }

    private void open(DriveEntry entry, String clusterId) {
        try {
            Drive drive = Drive.open(Path.of(entry.path()), DriveOptions.forCluster(UUID.fromString(clusterId)));
            DriveIo io = new DriveIo(drive, ioOptions.withCompletionSignal(context.transport()::wakeup));
            drives.put(entry.id(), new OpenDrive(entry, drive, io));
            LOG.info("serving drive {} ({}, {} regions, direct IO {})", entry.id(), entry.path(), drive.superblock().regionCount(),
                    drive.isDirectIo());
        } catch (StrataException e) {
            LOG.warn("cannot open drive {} at {}: {}", entry.id(), entry.path(), e.getMessage());
        }
    }

    private void close(OpenDrive open) {
        if (open == null) {
            return;
        }
        open.io().close();
        open.drive().close();
        LOG.info("stopped serving drive {}", open.entry().id());
    }

    private DriveOp op() {
        DriveOp op = spareOps.poll();
        return op != null ? op : new DriveOp();
    }

    @Override
    public void onFrame(Connection connection, Frame frame) {
        switch (frame.type()) {
            case DriveFrames.CHUNK_WRITE -> write(connection, frame);
            case DriveFrames.CHUNK_READ -> read(connection, frame);
            case DriveFrames.DRIVE_FENCE -> fence(connection, frame);
            default -> throw new io.strata.protocol.ProtocolException("a drive process serves no frame of type " + frame.type());
        }
    }

    private void write(Connection connection, Frame frame) {
        DriveFrames.WriteHeader header = DriveFrames.readWriteHeader(frame.payload());
        OpenDrive open = drives.get(header.drive());
        if (open == null) {
            answer(connection, frame.correlationId(), DriveFrames.STATUS_NO_DRIVE);
            return;
        }
        IoBuffer buffer = open.io().buffers().acquire();
        if (buffer == null) {
            answer(connection, frame.correlationId(), DriveFrames.STATUS_BUSY);
            return;
        }
        if (header.length() > buffer.maxPayloadBytes()) {
            buffer.release();
            answer(connection, frame.correlationId(), (short) ChunkStatus.INVALID_REQUEST.ordinal());
            return;
        }
        ByteBuffer data = frame.payload().slice(frame.payload().position() + DriveFrames.WRITE_HEADER_BYTES, header.length());
        MemorySegment.copy(MemorySegment.ofBuffer(data), 0, buffer.payload(), 0, header.length());
        DriveOp op = op().write(header.address(), header.extentId(), header.shard(), header.bucket(), header.term(), buffer,
                header.length());
        submit(open, op, connection, frame.correlationId());
    }

    private void read(Connection connection, Frame frame) {
        DriveFrames.ReadRequest request = DriveFrames.readRead(frame.payload());
        OpenDrive open = drives.get(request.drive());
        if (open == null) {
            answer(connection, frame.correlationId(), DriveFrames.STATUS_NO_DRIVE);
            return;
        }
        IoBuffer buffer = open.io().buffers().acquire();
        if (buffer == null) {
            answer(connection, frame.correlationId(), DriveFrames.STATUS_BUSY);
            return;
        }
        DriveOp op = op().read(request.address(), request.extentId(), request.shard(), request.offset(), request.length(), buffer);
        submit(open, op, connection, frame.correlationId());
    }

    private void fence(Connection connection, Frame frame) {
        DriveFrames.FenceRequest request = DriveFrames.readFence(frame.payload());
        OpenDrive open = drives.get(request.drive());
        if (open == null) {
            answer(connection, frame.correlationId(), DriveFrames.STATUS_NO_DRIVE);
            return;
        }
        submit(open, op().fence(request.bucket(), request.term()), connection, frame.correlationId());
    }

    private void submit(OpenDrive open, DriveOp op, Connection connection, long correlationId) {
        op.correlationId = correlationId;
        op.attachment = connection;
        if (!open.io().submit(op)) {
            recycle(op);
            answer(connection, correlationId, DriveFrames.STATUS_BUSY);
        }
    }

    private void onComplete(DriveOp op) {
        Connection connection = (Connection) op.attachment;
        int status = op.status().ordinal();
        if (op.kind() == DriveOp.Kind.READ && op.status() == ChunkStatus.OK) {
            ByteBuffer data = op.data().asByteBuffer();
            connection.send(DriveFrames.CHUNK_RESULT, op.correlationId, () -> recycle(op),
                    DriveFrames.resultHeader(status, data.remaining()), data);
            return;
        }
        answer(connection, op.correlationId, (short) status);
        recycle(op);
    }

    private void recycle(DriveOp op) {
        if (op.buffer() != null) {
            op.buffer().release();
        }
        op.attachment = null;
        spareOps.add(op);
    }

    private static void answer(Connection connection, long correlationId, short status) {
        connection.send(DriveFrames.CHUNK_RESULT, correlationId, null, DriveFrames.resultHeader(status, 0));
    }

    /** Stopping on purpose: done once no operation is in flight on any drive. */
    @Override
    public boolean drain() {
        return drives.values().stream().allMatch(open -> open.io().inFlight() == 0);
    }

    @Override
    public void onClose() {
        drives.values().forEach(this::close);
        drives.clear();
    }

    @Override
    public String describe() {
        return "drive process serving drives " + drives.keySet();
    }
}
