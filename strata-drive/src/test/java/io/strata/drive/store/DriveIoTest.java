package io.strata.drive.store;

import static io.strata.drive.store.Drives.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriveIoTest {
    private static final long REGION = 2 * MIB;

    @TempDir
    Path dir;

    @Test
    void submitAnswersFalseAtTheQueueDepthAndEverythingCompletesAndReadsBack() {
        Path file = Drives.formattedFile(dir, "pressure.img", REGION, 8);
        AtomicInteger signals = new AtomicInteger();
        DriveIoOptions options = DriveIoOptions.defaults().withIoThreads(3).withQueueDepth(4).withMaxBatch(4)
                .withBuffers(8, 64 * 1024).withCompletionSignal(signals::incrementAndGet);
        Drive drive = Drives.open(file);
        DriveIo io = new DriveIo(drive, options);
        try {
            int count = 200;
            int payloadBytes = 60 * 1024;
            long[] addresses = new long[count];
            List<DriveOp> idle = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                idle.add(new DriveOp());
            }
            int refused = 0;
            int completed = 0;
            int next = 0;
            Map<Long, ChunkStatus> results = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (completed < count && System.nanoTime() < deadline) {
                if (next < count && !idle.isEmpty()) {
                    IoBuffer buffer = io.buffers().acquire();
                    assertThat(buffer).isNotNull(); // 8 buffers, at most 4 in flight plus none held
                    buffer.payload().fill((byte) next);
                    addresses[next] = drive.regionOffset(next % 8) + (next / 8) * DriveLayout.chunkBytes(payloadBytes);
                    DriveOp op = idle.remove(idle.size() - 1).write(addresses[next], next, 0, 1, 1, buffer, payloadBytes);
                    op.correlationId = next;
                    if (io.submit(op)) {
                        next++;
                    } else {
                        refused++;
                        buffer.release();
                        idle.add(op);
                    }
                }
                assertThat(io.inFlight()).isLessThanOrEqualTo(4);
                completed += io.poll(op -> {
                    results.put(op.correlationId, op.status());
                    op.buffer().release();
                    idle.add(op);
                }, 2);
            }
            assertThat(completed).isEqualTo(count);
            assertThat(refused).isPositive();
            assertThat(results.values()).containsOnly(ChunkStatus.OK).hasSize(count);
            assertThat(io.buffers().available()).isEqualTo(8);
            assertThat(signals.get()).isPositive();
            assertThat(io.stats().writes()).isEqualTo(count);
            assertThat(io.stats().bytesWritten()).isEqualTo((long) count * payloadBytes);
            for (int i = 0; i < count; i++) {
                ChunkStatus[] status = new ChunkStatus[1];
                byte[] back = Drives.read(io, addresses[i], i, 0, 0, payloadBytes, status);
                assertThat(status[0]).as("chunk %d", i).isEqualTo(ChunkStatus.OK);
                byte[] expected = new byte[payloadBytes];
                java.util.Arrays.fill(expected, (byte) i);
                assertThat(back).as("chunk %d", i).isEqualTo(expected);
            }
        } finally {
            io.close();
            drive.close();
        }
    }

    /**
     * A read finding the engine idle runs on the owner's thread inside submit (no IO thread, no
     * signal); one submitted behind an op in flight goes to an IO thread, which signals. Both
     * return the data checked.
     */
    @Test
    void aReadOnAnIdleEngineRunsOnTheOwnerAndOneBehindAnotherOpOnAnIoThread() {
        Path file = Drives.formattedFile(dir, "owner-reads.img", REGION, 2);
        List<String> signallers = java.util.Collections.synchronizedList(new ArrayList<>());
        Drive drive = Drives.open(file);
        DriveIo io = new DriveIo(drive, DriveIoOptions.defaults().withBuffers(4, 64 * 1024)
                .withCompletionSignal(() -> signallers.add(Thread.currentThread().getName())));
        try {
            byte[] payload = Drives.randomBytes(new SplittableRandom(7), 20_000);
            long address = drive.regionOffset(1);
            assertThat(Drives.write(io, address, 42, 3, 1, 1, payload)).isEqualTo(ChunkStatus.OK);
            // the IO thread signals after publishing, so its signal for the write may come after the completion was polled
            long signalDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (signallers.isEmpty() && System.nanoTime() < signalDeadline) {
                Thread.onSpinWait();
            }
            assertThat(signallers).hasSize(1);
            signallers.clear();

            IoBuffer buffer = io.buffers().acquire();
            DriveOp idleRead = new DriveOp().read(address, 42, 3, 4096, 8192, buffer);
            assertThat(io.submit(idleRead)).isTrue();
            assertThat(io.hasCompletions()).as("completed inside submit").isTrue();
            List<DriveOp> done = new ArrayList<>();
            assertThat(io.poll(done::add, 10)).isEqualTo(1);
            assertThat(done.get(0).status()).isEqualTo(ChunkStatus.OK);
            assertThat(done.get(0).data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .isEqualTo(java.util.Arrays.copyOfRange(payload, 4096, 4096 + 8192));
            assertThat(signallers).as("no IO thread took part").isEmpty();

            DriveOp fence = new DriveOp().fence(1, 1);
            assertThat(io.submit(fence)).isTrue();
            DriveOp queuedRead = new DriveOp().read(address, 42, 3, 0, 4096, buffer);
            assertThat(io.submit(queuedRead)).isTrue();
            done.clear();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (done.size() < 2 && System.nanoTime() < deadline) {
                io.poll(done::add, 10);
            }
            assertThat(done).extracting(DriveOp::status).containsOnly(ChunkStatus.OK).hasSize(2);
            assertThat(queuedRead.data().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .isEqualTo(java.util.Arrays.copyOf(payload, 4096));
            assertThat(signallers).isNotEmpty().allMatch(name -> name.startsWith("strata-drive-io-"));
            assertThat(io.stats().reads()).isEqualTo(2);
            buffer.release();
        } finally {
            io.close();
            drive.close();
        }
    }

    @Test
    void opsAndBuffersAreOwnedByOneHolderAtATime() {
        Path file = Drives.formattedFile(dir, "owners.img", REGION, 2);
        Drive drive = Drives.open(file);
        DriveIo io = new DriveIo(drive, DriveIoOptions.defaults().withQueueDepth(2).withBuffers(2, 8192));
        try {
            IoBuffer a = io.buffers().acquire();
            IoBuffer b = io.buffers().acquire();
            assertThat(io.buffers().acquire()).isNull();
            DriveOp op = new DriveOp().fence(1, 1);
            assertThat(io.submit(op)).isTrue();
            assertThatThrownBy(() -> io.submit(op)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> op.fence(1, 2)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> io.submit(new DriveOp())).isInstanceOf(IllegalStateException.class);
            a.release();
            assertThatThrownBy(a::release).isInstanceOf(IllegalStateException.class);
            b.release();
            assertThat(io.buffers().available()).isEqualTo(2);
        } finally {
            io.close();
            drive.close();
        }
    }

    @Test
    void opsSubmittedAfterCloseCompleteAsClosed() {
        Path file = Drives.formattedFile(dir, "closed.img", REGION, 2);
        Drive drive = Drives.open(file);
        DriveIo io = new DriveIo(drive, DriveIoOptions.defaults());
        io.close();
        DriveOp op = new DriveOp().fence(1, 1);
        assertThat(io.submit(op)).isTrue();
        List<ChunkStatus> seen = new ArrayList<>();
        assertThat(io.poll(completed -> seen.add(completed.status()), 10)).isEqualTo(1);
        assertThat(seen).containsExactly(ChunkStatus.CLOSED);
        assertThat(drive.highestTerm(1)).isEqualTo(-1);
        drive.close();
    }

    /** After a FENCE completes, no write of the old term may land: those admitted before it landed already. */
    @Test
    void aFenceWaitsForTheWritesOfTheOldTermInFlight() throws Exception {
        Path file = Drives.formattedFile(dir, "race.img", REGION, 8);
        Drive drive = Drives.open(file);
        DriveIo io = new DriveIo(drive, DriveIoOptions.defaults().withIoThreads(4).withQueueDepth(64).withMaxBatch(2)
                .withBuffers(64, 64 * 1024));
        try (FileChannel spy = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int round = 0; round < 5; round++) {
                final long extentBase = 1000L * round;
                int writes = 48;
                Map<Long, ChunkStatus> results = new HashMap<>();
                Set<Long> landedAtFence = new HashSet<>();
                long[] addresses = new long[writes];
                for (int i = 0; i < writes; i++) {
                    IoBuffer buffer = io.buffers().acquire();
                    addresses[i] = drive.regionOffset(i % 8) + (round * 8 + i / 8) * 8192L;
                    DriveOp op = new DriveOp().write(addresses[i], extentBase + i, 0, 5, round, buffer, 4096);
                    op.correlationId = i;
                    assertThat(io.submit(op)).isTrue();
                    if (i == writes / 2) {
                        DriveOp fence = new DriveOp().fence(5, round + 1);
                        fence.correlationId = -1;
                        assertThat(io.submit(fence)).isTrue();
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (results.size() < writes + 1 && System.nanoTime() < deadline) {
                    io.poll(op -> {
                        results.put(op.correlationId, op.status());
                        if (op.kind() == DriveOp.Kind.FENCE) {
                            for (int i = 0; i < writes; i++) {
                                if (hasChunk(spy, addresses[i], extentBase + i)) {
                                    landedAtFence.add((long) i);
                                }
                            }
                        } else {
                            op.buffer().release();
                        }
                    }, 64);
                }
                assertThat(results).hasSize(writes + 1);
                assertThat(results.get(-1L)).isEqualTo(ChunkStatus.OK);
                for (long i = 0; i < writes; i++) {
                    if (results.get(i) == ChunkStatus.OK) {
                        assertThat(landedAtFence).as("write %d of round %d acknowledged but landed after the fence", i, round)
                                .contains(i);
                    } else {
                        assertThat(results.get(i)).isEqualTo(ChunkStatus.FENCED);
                        assertThat(hasChunk(spy, addresses[(int) i], extentBase + i)).isFalse();
                    }
                }
            }
        } finally {
            io.close();
            drive.close();
        }
    }

    private static boolean hasChunk(FileChannel channel, long address, long extentId) {
        try {
            ByteBuffer header = ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(header, address);
            return header.getInt(0) == ChunkHeader.MAGIC && header.getLong(8) == extentId;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A writer killed with SIGKILL: every write it saw complete is intact when the drive is reopened. */
    @Test
    void completedWritesSurviveAKilledWriterProcess() throws Exception {
        Path file = Drives.formattedFile(dir, "crash.img", REGION, 8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--")).toList()); // Strata's JVM flags, as surefire got them
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process writer = builder.start();
        Map<Long, Long> done = new HashMap<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (done.size() < 60 && (line = lines.readLine()) != null) {
                String[] words = line.split(" ");
                if (words[0].equals("done")) {
                    done.put(Long.parseLong(words[1]), Long.parseLong(words[2]));
                }
            }
            writer.destroyForcibly();
            assertThat(writer.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }
        assertThat(done).hasSizeGreaterThanOrEqualTo(60);

        Drive drive = Drives.open(file);
        DriveIo io = new DriveIo(drive, DriveIoOptions.defaults().withBuffers(2, 256 * 1024));
        try {
            assertThat(drive.highestTerm(CrashWriter.BUCKET)).isEqualTo(CrashWriter.TERM);
            for (Map.Entry<Long, Long> chunk : done.entrySet()) {
                long extentId = chunk.getKey();
                ChunkStatus[] status = new ChunkStatus[1];
                byte[] back = Drives.read(io, chunk.getValue(), extentId, 0, 0, CrashWriter.payloadLength(extentId), status);
                assertThat(status[0]).as("extent %d", extentId).isEqualTo(ChunkStatus.OK);
                assertThat(back).as("extent %d", extentId).isEqualTo(CrashWriter.payload(extentId));
            }
            assertThat(Drives.write(io, drive.regionOffset(0), 1, 0, CrashWriter.BUCKET, CrashWriter.TERM - 1, new byte[10]))
                    .isEqualTo(ChunkStatus.FENCED);
        } finally {
            io.close();
            drive.close();
        }
    }

    @Test
    void aSecondOpenerSeesTheCompletedWritesOfAnAbandonedOne() {
        Path file = Drives.formattedFile(dir, "abandoned.img", REGION, 4);
        Drive first = Drives.open(file);
        DriveIo firstIo = new DriveIo(first, DriveIoOptions.defaults().withBuffers(4, 128 * 1024));
        SplittableRandom random = new SplittableRandom(99);
        List<byte[]> payloads = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] payload = Drives.randomBytes(random, 1 + random.nextInt(120_000));
            payloads.add(payload);
            assertThat(Drives.write(firstIo, first.regionOffset(i % 4) + (i / 4) * 128 * 1024L, i, 1, 2, 1, payload))
                    .isEqualTo(ChunkStatus.OK);
        }
        // no close of firstIo or first: the process "died"; a new one opens the drive
        Drive second = Drives.open(file);
        DriveIo secondIo = new DriveIo(second, DriveIoOptions.defaults().withBuffers(4, 128 * 1024));
        try {
            for (int i = 0; i < 12; i++) {
                ChunkStatus[] status = new ChunkStatus[1];
                byte[] back = Drives.read(secondIo, second.regionOffset(i % 4) + (i / 4) * 128 * 1024L, i, 1, 0,
                        payloads.get(i).length, status);
                assertThat(status[0]).isEqualTo(ChunkStatus.OK);
                assertThat(back).isEqualTo(payloads.get(i));
            }
        } finally {
            secondIo.close();
            second.close();
            firstIo.close();
            first.close();
        }
    }
}
