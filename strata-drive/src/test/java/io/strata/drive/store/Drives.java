package io.strata.drive.store;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/** Test helpers: sandbox drives, synchronous use of DriveIo, corruption behind the drive's back. */
final class Drives {
    static final UUID CLUSTER = UUID.fromString("00000000-0000-0000-0000-00000000c1a5");
    static final UUID OTHER_CLUSTER = UUID.fromString("00000000-0000-0000-0000-0000000000be");
    static final long MIB = 1024 * 1024;

    private Drives() {
    }

    /** A sparse file of the header area, {@code regions} regions of {@code regionBytes} and the backup block. */
    static Path formattedFile(Path dir, String name, long regionBytes, int regions) {
        Path file = dir.resolve(name);
        DriveFormatter.preallocateFile(file, DriveLayout.HEADER_AREA_BYTES + regions * regionBytes + DriveLayout.BLOCK_BYTES);
        DriveFormatter.format(file, FormatRequest.of(CLUSTER, UUID.nameUUIDFromBytes(name.getBytes())).withRegionSizeBytes(regionBytes));
        return file;
    }

    static Drive open(Path file) {
        return Drive.open(file, DriveOptions.forCluster(CLUSTER));
    }

    /** Submits and polls until that op completes (the test thread is the owner). */
    static ChunkStatus run(DriveIo io, DriveOp op) {
        if (!io.submit(op)) {
            throw new AssertionError("queue full in a synchronous test");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean[] done = {false};
        while (!done[0]) {
            io.poll(completed -> {
                if (completed == op) {
                    done[0] = true;
                }
            }, 16);
            if (System.nanoTime() > deadline) {
                throw new AssertionError("op did not complete within 20 s: " + op);
            }
            Thread.onSpinWait();
        }
        return op.status();
    }

    static ChunkStatus write(DriveIo io, long address, long extentId, int shard, int bucket, long term, byte[] payload) {
        IoBuffer buffer = io.buffers().acquire();
        try {
            MemorySegment.copy(MemorySegment.ofArray(payload), 0, buffer.payload(), 0, payload.length);
            return run(io, new DriveOp().write(address, extentId, shard, bucket, term, buffer, payload.length));
        } finally {
            buffer.release();
        }
    }

    /** The bytes read, or null when the read did not answer OK (its status is in {@code status[0]}). */
    static byte[] read(DriveIo io, long address, long extentId, int shard, int offset, int length, ChunkStatus[] status) {
        IoBuffer buffer = io.buffers().acquire();
        try {
            DriveOp op = new DriveOp().read(address, extentId, shard, offset, length, buffer);
            status[0] = run(io, op);
            return status[0].isOk() ? op.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE) : null;
        } finally {
            buffer.release();
        }
    }

    static byte[] randomBytes(RandomGenerator random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** XORs one byte of the file through a separate, buffered channel (as a failing disk would). */
    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
            channel.write(one, position);
            channel.force(false);
        }
    }
}
