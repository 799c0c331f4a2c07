package io.strata.frontend.fs;

import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.ExtentView;
import io.strata.compute.layout.Stripe;
import io.strata.compute.wire.BucketResults;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.DriveEntry;
import io.strata.config.cluster.Health;
import io.strata.drive.client.DriveClient;
import io.strata.drive.store.ChunkStatus;
import io.strata.drive.wire.DriveFrames;
import io.strata.erasure.ErasureCoder;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads file bytes straight from drive processes, following a layout a bucket gave. Each piece
 * of a data chunk is read from its drive; a piece whose drive is down, whose shard is missing or
 * whose checksum fails is rebuilt from the same range of the stripe's other chunks. A chunk
 * found STALE (its space reused since the layout was given) fails the read with {@link #STALE}
 * so the caller asks the bucket again.
 */
public final class StripeReader {
    public static final int OK = 0;
    public static final int EIO = 5;
    public static final int STALE = -116;

    public interface Done {
        void done(int status);
    }

    private final DriveClient drives;
    private final Supplier<ClusterConfig> config;
    private final Map<Long, ErasureCoder> coders = new HashMap<>();

    public StripeReader(DriveClient drives, Supplier<ClusterConfig> config) {
        this.drives = drives;
        this.config = config;
    }

    /** Fills {@code target} from {@code offset} (the file offset of target byte 0) with the layout's segments. */
    public void read(BucketResults.Layout layout, long offset, MemorySegment target, Done done) {
        List<Runnable> pieces = new ArrayList<>();
        int[] outstanding = {0};
        int[] status = {OK};
        Runnable finishOne = () -> {
            if (--outstanding[0] == 0) {
                done.done(status[0]);
            }
        };
        for (BucketResults.Segment segment : layout.segments()) {
            long targetOffset = segment.fileOffset() - offset;
            if (segment.view() == null) {
                target.asSlice(targetOffset, segment.length()).fill((byte) 0);
                continue;
            }
            addPieces(segment.view(), segment.fileOffset(), segment.length(), target, targetOffset, pieces, status, finishOne);
        }
        if (pieces.isEmpty()) {
            done.done(OK);
            return;
        }
        outstanding[0] = pieces.size();
        pieces.forEach(Runnable::run);
    }

    private void addPieces(ExtentView view, long fileOffset, long length, MemorySegment target, long targetOffset,
            List<Runnable> pieces, int[] status, Runnable finishOne) {
        Stripe stripe = view.stripe();
        long dataPosition = view.stripeOffset() + (fileOffset - view.fileOffset());
        long left = length;
        long written = 0;
        while (left > 0) {
            int chunk = (int) (dataPosition / stripe.chunkBytes());
            int inChunk = (int) (dataPosition % stripe.chunkBytes());
            int pieceLength = (int) Math.min(left, stripe.chunkBytes() - inChunk);
            MemorySegment destination = target.asSlice(targetOffset + written, pieceLength);
            if (chunk >= stripe.storedData()) {
                destination.fill((byte) 0);
            } else {
                pieces.add(() -> readPiece(stripe, chunk, inChunk, destination, code -> {
                    if (code != OK && status[0] == OK) {
                        status[0] = code;
                    }
                    finishOne.run();
                }));
            }
            dataPosition += pieceLength;
            written += pieceLength;
            left -= pieceLength;
        }
    }

    private void readPiece(Stripe stripe, int shard, int inChunk, MemorySegment destination, Done done) {
        if (!isReadable(stripe, shard)) {
            rebuild(stripe, shard, inChunk, destination, done);
            return;
        }
        ChunkAddress address = stripe.shards().get(shard);
        drives.read(new DriveFrames.ReadRequest(address.drive(), address.address(), stripe.extentId(), shard, inChunk,
                (int) destination.byteSize()), (code, data) -> {
                    if (DriveClient.isOk(code) && data.remaining() == destination.byteSize()) {
                        MemorySegment.copy(MemorySegment.ofBuffer(data), 0, destination, 0, destination.byteSize());
                        done.done(OK);
                    } else if (code == ChunkStatus.STALE.ordinal()) {
                        done.done(STALE);
                    } else {
                        rebuild(stripe, shard, inChunk, destination, done);
                    }
                });
    }

    /** Whether a shard can be read as the configuration stands: stored, written, its drive's container UP. */
    private boolean isReadable(Stripe stripe, int shard) {
        if (stripe.isMissing(shard) || !stripe.isStored(shard)) {
            return false;
        }
        ClusterConfig current = config.get();
        DriveEntry drive = current.dataPlane().drives().get(stripe.shards().get(shard).drive());
        if (drive == null || !drive.active()) {
            return false;
        }
        ContainerEntry container = current.containers().get(drive.containerId());
        return container != null && container.health() == Health.UP;
    }

    /** Rebuilds one piece of a data chunk from the same range of D other shards of its stripe. */
    private void rebuild(Stripe stripe, int wanted, int inChunk, MemorySegment destination, Done done) {
        int length = (int) destination.byteSize();
        int total = stripe.totalShards();
        byte[][] shards = new byte[total][];
        boolean[] present = new boolean[total];
        List<Integer> candidates = new ArrayList<>();
        int implicit = 0;
        for (int shard = 0; shard < total; shard++) {
            if (shard == wanted) {
                continue;
            }
            if (shard < stripe.dataShards() && !stripe.isStored(shard)) {
                present[shard] = true;
                implicit++;
            } else if (isReadable(stripe, shard)) {
                candidates.add(shard);
            }
        }
        int needed = stripe.dataShards() - implicit;
        if (candidates.size() < needed) {
            done.done(EIO);
            return;
        }
        RebuildState state = new RebuildState(stripe, wanted, shards, present, candidates, needed, length, inChunk, destination, done);
        for (int i = 0; i < needed; i++) {
            state.readNext();
        }
    }

    private final class RebuildState {
        private final Stripe stripe;
        private final int wanted;
        private final byte[][] shards;
        private final boolean[] present;
        private final List<Integer> candidates;
        private final int length;
        private final int inChunk;
        private final MemorySegment destination;
        private final Done done;
        private int next;
        private int have;
        private int reading;
        private final int needed;
        private boolean finished;

        RebuildState(Stripe stripe, int wanted, byte[][] shards, boolean[] present, List<Integer> candidates, int needed,
                int length, int inChunk, MemorySegment destination, Done done) {
            this.stripe = stripe;
            this.wanted = wanted;
            this.shards = shards;
            this.present = present;
            this.candidates = candidates;
            this.needed = needed;
            this.length = length;
            this.inChunk = inChunk;
            this.destination = destination;
            this.done = done;
        }

        void readNext() {
            if (finished) {
                return;
            }
            if (next >= candidates.size()) {
                if (reading == 0 && have < needed) {
                    finished = true;
                    done.done(EIO);
                }
                return;
            }
            int shard = candidates.get(next++);
            ChunkAddress address = stripe.shards().get(shard);
            reading++;
            drives.read(new DriveFrames.ReadRequest(address.drive(), address.address(), stripe.extentId(), shard, inChunk, length),
                    (code, data) -> {
                        reading--;
                        if (finished) {
                            return;
                        }
                        if (DriveClient.isOk(code) && data.remaining() == length) {
                            shards[shard] = new byte[length];
                            data.get(shards[shard]);
                            present[shard] = true;
                            if (++have == needed) {
                                decode();
                            }
                        } else if (code == ChunkStatus.STALE.ordinal()) {
                            finished = true;
                            done.done(STALE);
                        } else {
                            readNext();
                        }
                    });
        }

        private void decode() {
            finished = true;
            for (int shard = 0; shard < shards.length; shard++) {
                if (shards[shard] == null && !present[shard] && shard != wanted) {
                    shards[shard] = null;
                }
            }
            shards[wanted] = new byte[length];
            boolean[] available = present.clone();
            available[wanted] = false;
            byte[][] work = new byte[shards.length][];
            for (int shard = 0; shard < shards.length; shard++) {
                if (available[shard]) {
                    work[shard] = shards[shard];
                } else if (shard == wanted) {
                    work[shard] = shards[wanted];
                } else {
                    work[shard] = null;
                }
            }
            coder(stripe).reconstruct(work, available, 0, length);
            MemorySegment.copy(MemorySegment.ofArray(work[wanted]), 0, destination, 0, length);
            done.done(OK);
        }
    }

    private ErasureCoder coder(Stripe stripe) {
        long key = ((long) stripe.dataShards() << 32) | stripe.parityShards();
        return coders.computeIfAbsent(key, k -> ErasureCoder.create(stripe.dataShards(), stripe.parityShards()));
    }

    static ByteBuffer empty() {
        return ByteBuffer.allocate(0);
    }
}
