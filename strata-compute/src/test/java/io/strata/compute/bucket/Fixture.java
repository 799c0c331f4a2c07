package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.strata.compute.bucket.BucketCommand.CapacityGranted;
import io.strata.compute.bucket.BucketCommand.CommitExtent;
import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.CreateRoot;
import io.strata.compute.bucket.BucketCommand.RegionsLeased;
import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** A bucket with a filesystem root, and short ways to build commands against it. */
final class Fixture {
    static final int FS = 7;
    static final int USER = 1000;
    static final int GROUP = 100;
    static final int DATA = 4;
    static final int PARITY = 2;
    static final int CHUNK_BYTES = 64 * 1024;
    static final long REGION_BYTES = 16L << 20;

    final BucketState state;
    final long root;
    long clockNs = 1_000_000_000L;

    Fixture(BucketState state, long root) {
        this.state = state;
        this.root = root;
    }

    /** A single-bucket cluster: every key is local. */
    static Fixture oneBucket() {
        BucketState state = BucketState.create(0, 1);
        state.apply(new CreateRoot(FS, 0755, 0, 0, 1));
        return new Fixture(state, Inodes.rootIno(FS, 1));
    }

    long now() {
        clockNs += 1000;
        return clockNs;
    }

    CommandResult apply(BucketCommand command) {
        return state.apply(command);
    }

    /** Ends the grace of every file lingering now, as the leader does once it has lasted long enough. */
    void endGrace() {
        state.apply(new BucketCommand.DropLingering(state.lastLingeringNumber()));
    }

    Attributes attrs(BucketCommand command) {
        return ((CommandResult.AttrResult) state.apply(command)).attributes();
    }

    /** Applies a command that must be refused, checks that it changed nothing, returns its errno. */
    int errno(BucketCommand command) {
        byte[] before = state.snapshot();
        try {
            state.apply(command);
        } catch (FsException refusal) {
            assertThat(state.snapshot()).as("state after refused %s", command).isEqualTo(before);
            return refusal.errno();
        }
        return fail("%s was not refused", command);
    }

    Create createCommand(long parent, String name, FileType type) {
        return new Create(parent, name, type, type == FileType.DIR ? 0755 : 0644, USER, GROUP, 0,
                type == FileType.SYMLINK ? "target/of/" + name : null, true, now(), RequestOrigin.NONE);
    }

    Attributes create(long parent, String name, FileType type) {
        return attrs(createCommand(parent, name, type));
    }

    long file(long parent, String name) {
        return create(parent, name, FileType.FILE).ino();
    }

    long dir(long parent, String name) {
        return create(parent, name, FileType.DIR).ino();
    }

    /** Leases {@code regions} regions on each of drives 0..5 and grants {@code capacityBytes} to the fs. */
    void provision(int regions, long capacityBytes) {
        List<Integer> indices = IntStream.range(0, regions).boxed().toList();
        for (int drive = 0; drive < DATA + PARITY; drive++) {
            apply(new RegionsLeased(drive, indices, REGION_BYTES, 1L << 20));
        }
        if (capacityBytes > 0) {
            apply(new CapacityGranted(FS, capacityBytes));
        }
    }

    /** A new 4+2 stripe holding {@code dataBytes}, one chunk per drive, placed by the space map. */
    Stripe stripe(long extentId, long dataBytes) {
        int stored = (int) Math.max(1, Math.ceilDiv(dataBytes, CHUNK_BYTES));
        Reservations none = new Reservations();
        List<ChunkAddress> shards = new ArrayList<>();
        for (int shard = 0; shard < DATA + PARITY; shard++) {
            boolean isStored = shard < stored || shard >= DATA;
            long address = isStored ? state.space().findFree(shard, 4096L + CHUNK_BYTES, none).orElseThrow() : -1;
            shards.add(isStored ? new ChunkAddress(shard, address) : null);
        }
        return new Stripe(extentId, DATA, PARITY, CHUNK_BYTES, Math.min(stored, DATA), dataBytes, shards, 0);
    }

    CommitExtent commitCommand(long ino, long fileOffset, long length) {
        return new CommitExtent(ino, fileOffset, length, 0, stripe(state.nextExtentId(), length), USER, now(),
                RequestOrigin.NONE);
    }

    /** Writes {@code length} bytes at {@code fileOffset} as one new stripe; returns the stripe's id. */
    long write(long ino, long fileOffset, long length) {
        CommitExtent commit = commitCommand(ino, fileOffset, length);
        apply(commit);
        return commit.stripe().extentId();
    }
}
