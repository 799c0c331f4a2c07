package io.strata.drive.store;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A drive process stand-in for the crash test: fences bucket 1 at term 3, then writes chunks
 * forever, printing each one whose write completed OK. The test kills it with SIGKILL.
 */
public final class CrashWriter {
    static final int BUCKET = 1;
    static final long TERM = 3;

    private CrashWriter() {
    }

    static int payloadLength(long extentId) {
        return 1 + (int) (extentId * 7919 % 200_000);
    }

    static byte[] payload(long extentId) {
        byte[] bytes = new byte[payloadLength(extentId)];
        new SplittableRandom(extentId).nextBytes(bytes);
        return bytes;
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Drive drive = Drive.open(Path.of(args[0]), DriveOptions.forCluster(Drives.CLUSTER));
        DriveIo io = new DriveIo(drive, DriveIoOptions.defaults().withQueueDepth(8).withBuffers(8, 256 * 1024));
        Drives.run(io, new DriveOp().fence(BUCKET, TERM));
        out.println("fenced");
        out.flush();
        long regionBytes = drive.regionSizeBytes();
        long cursor = 0;
        for (long extentId = 1; ; extentId++) {
            IoBuffer buffer;
            while ((buffer = io.buffers().acquire()) == null) {
                io.poll(op -> report(out, op), 8);
            }
            byte[] payload = payload(extentId);
            long chunkBytes = DriveLayout.chunkBytes(payload.length);
            if (cursor % regionBytes + chunkBytes > regionBytes) {
                cursor = (cursor / regionBytes + 1) * regionBytes;
            }
            long region = cursor / regionBytes;
            if (region >= drive.regionCount()) {
                while (true) { // the drive is full: never overwrite a chunk already reported
                    io.poll(completed -> report(out, completed), 8);
                    Thread.onSpinWait();
                }
            }
            long address = drive.regionOffset(region) + cursor % regionBytes;
            cursor += chunkBytes;
            MemorySegment.copy(MemorySegment.ofArray(payload), 0, buffer.payload(), 0, payload.length);
            DriveOp op = new DriveOp().write(address, extentId, 0, BUCKET, TERM, buffer, payload.length);
            while (!io.submit(op)) {
                io.poll(completed -> report(out, completed), 8);
            }
        }
    }

    private static void report(PrintStream out, DriveOp op) {
        if (op.status() == ChunkStatus.OK) {
            out.println("done " + op.extentId() + " " + op.address());
            out.flush();
        }
        op.buffer().release();
    }
}
