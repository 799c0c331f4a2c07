package io.strata.compute.process;

import io.strata.compute.bucket.Attributes;
import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.CommandResult;
import io.strata.compute.bucket.Errno;
import io.strata.compute.bucket.FileType;
import io.strata.compute.bucket.FsException;
import io.strata.compute.bucket.RequestOrigin;
import io.strata.compute.bucket.Reservations;
import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.Stripe;
import io.strata.compute.wire.BucketFrames;
import io.strata.compute.wire.BucketResults;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.Protection;
import io.strata.drive.client.DriveClient;
import io.strata.drive.wire.DriveFrames;
import io.strata.erasure.ErasureCoder;
import io.strata.protocol.Frame;
import io.strata.protocol.nio.Connection;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes on a bucket leader. A write's bytes are copied once, out of the frame, into the data
 * chunks of a new stripe (a reused buffer, see {@link StripeBuffers}); parity is computed; space is picked in the bucket's leased regions (and
 * reserved until the commit); the D+P chunks go to their drives in parallel; when enough have
 * landed to rebuild the stripe, the extent is committed to the bucket's log and the frontend is
 * answered. Shards that did not land are marked missing: the stripe is degraded and repaired
 * later. A write never overwrites a chunk in place, so a crash at any point leaves the file as it
 * was before the write or as it is after it.
 */
final class WritePath {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WritePath.class);
    /** Writes in flight at once on this process; more wait their turn. */
    private static final int MAX_IN_FLIGHT = 32;
    private static final int MAX_WRITE_BYTES = 4 << 20;
    private static final int MAX_SPACE_RETRIES = 50;
    private static final long UNPLACED = -2;
    /** Stripe buffers kept for reuse: 32 writes of 1 MiB in flight hold 48 MiB. */
    private static final long POOLED_STRIPE_BYTES = 64L << 20;

    /** The end of the appends in flight on a file: the next append goes there, not at the committed size. */
    private final Map<Long, long[]> appendTails = new HashMap<>();

    private final ComputeService service;
    private final Map<Integer, Reservations> reservations = new HashMap<>();
    private final Map<Integer, Long> nextExtentIds = new HashMap<>();
    private final Map<Long, ErasureCoder> coders = new HashMap<>();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private final StripeBuffers buffers = new StripeBuffers(POOLED_STRIPE_BYTES);
    private int inFlight;
    private boolean checkedSeen;

    WritePath(ComputeService service) {
        this.service = service;
    }

    Reservations reservations(int bucket) {
        return reservations.computeIfAbsent(bucket, b -> new Reservations());
    }

    /** One write in progress. */
    private final class Write {
        final int bucket;
        final BucketFrames.WriteHeader header;
        final Connection connection;
        final long correlationId;
        /** The stripe being built: D data chunks (the write's bytes, then zeros) and P parity chunks, each {@code chunkBytes}. */
        MemorySegment stripeBuffer;
        int dataShards;
        int chunkBytes;
        /** False once a chunk's send may still sit in a connection's queue: its buffer is then left to the collector. */
        boolean reusable = true;
        int spaceRetries;
        /** Where the write lands, fixed at its first attempt (appends are given their place in order). */
        long offset = UNPLACED;

        Write(int bucket, BucketFrames.WriteHeader header, ByteBuffer payload, Connection connection, long correlationId) {
            this.bucket = bucket;
            this.header = header;
            this.connection = connection;
            this.correlationId = correlationId;
            Protection protection = service.config().protection();
            layOut(protection.dataDrives(), protection.stripeWidth());
            MemorySegment.copy(MemorySegment.ofBuffer(payload), 0, stripeBuffer, 0, header.length());
            zeroPadding();
        }

        private void layOut(int data, int width) {
            dataShards = data;
            chunkBytes = StripePlacement.chunkBytes(Math.max(1, header.length()), data);
            stripeBuffer = buffers.acquire((long) width * chunkBytes);
        }

        /** Zeros from the write's last byte to the end of the data chunks: a reused buffer holds another write's bytes there. */
        private void zeroPadding() {
            stripeBuffer.asSlice(header.length(), (long) dataShards * chunkBytes - header.length()).fill((byte) 0);
        }

        /** Lays the stripe buffer out again for a stripe whose protection changed since the write arrived. */
        void relayOut(Stripe stripe) {
            if (stripe.dataShards() == dataShards && stripe.chunkBytes() == chunkBytes
                    && stripeBuffer.byteSize() == (long) stripe.totalShards() * chunkBytes) {
                return;
            }
            MemorySegment old = stripeBuffer;
            layOut(stripe.dataShards(), stripe.totalShards());
            MemorySegment.copy(old, 0, stripeBuffer, 0, header.length());
            zeroPadding();
            buffers.release(old);
        }

        MemorySegment shard(int index) {
            return stripeBuffer.asSlice((long) index * chunkBytes, chunkBytes);
        }

        void fail(int errno) {
            Replies.error(connection, correlationId, errno);
            close();
        }

        void close() {
            if (header.offset() == BucketFrames.APPEND && offset != UNPLACED) {
                long[] tail = appendTails.get(header.ino());
                if (tail != null && --tail[1] == 0) {
                    appendTails.remove(header.ino());
                }
            }
            if (reusable) {
                buffers.release(stripeBuffer);
            }
            stripeBuffer = null;
            inFlight--;
            Runnable next = waiting.poll();
            if (next != null) {
                next.run();
            }
        }
    }

    void write(Connection connection, Frame frame) {
        ByteBuffer payload;
        BucketFrames.WriteHeader header;
        if (frame.type() == BucketFrames.BUCKET_WRITE_CHECKED) {
            if (io.strata.runtime.Release.current().protocol() < BucketFrames.CHECKED_PROTOCOL
                    || connection.protocol() < BucketFrames.CHECKED_PROTOCOL) {
                throw new io.strata.protocol.ProtocolException("a checked write on a protocol " + connection.protocol() + " connection");
            }
            if (!checkedSeen) {
                checkedSeen = true;
                LOG.info("writes now carry their checksums (protocol {} capability, every container speaks it)",
                        BucketFrames.CHECKED_PROTOCOL);
            }
            BucketFrames.CheckedWrite checked = BucketFrames.readCheckedWrite(frame.payload());
            header = checked.header();
            payload = checked.data();
            if (!checked.intact()) {
                LOG.warn("a write of {} bytes to inode {} from mount {} failed its checksum: refused", header.length(), header.ino(),
                        header.mountId());
                Replies.error(connection, frame.correlationId(), Errno.EIO);
                return;
            }
        } else {
            header = BucketFrames.readWriteHeader(frame.payload());
            payload = frame.payload().slice(frame.payload().position() + BucketFrames.WRITE_HEADER_BYTES, header.length());
        }
        if (BucketFrames.WriteHeader.class.isInstance(header) && io.strata.compute.client.BucketClient.bucketOf(header.ino())
                != header.bucket()) {
            throw new io.strata.protocol.ProtocolException("a write of inode " + header.ino() + " sent to bucket " + header.bucket());
        }
        if (!service.leads(header.bucket(), connection, frame.correlationId())) {
            return;
        }
        if (header.length() > MAX_WRITE_BYTES) {
            Replies.error(connection, frame.correlationId(), Errno.EINVAL);
            return;
        }
        Write write = new Write(header.bucket(), header, payload, connection, frame.correlationId());
        if (inFlight >= MAX_IN_FLIGHT) {
            waiting.add(() -> start(write));
            return;
        }
        start(write);
    }

    private void start(Write write) {
        inFlight++;
        attempt(write);
    }

    private void attempt(Write write) {
        if (!service.groups().isLeader(write.bucket)) {
            Replies.retry(write.connection, write.correlationId);
            write.close();
            return;
        }
        Attributes attributes;
        try {
            attributes = service.read(write.bucket, s -> s.getattr(write.header.ino()));
        } catch (FsException e) {
            write.fail(e.errno());
            return;
        }
        if (attributes.type() != FileType.FILE) {
            write.fail(attributes.type() == FileType.DIR ? Errno.EISDIR : Errno.EINVAL);
            return;
        }
        if (write.offset == UNPLACED) {
            write.offset = place(write, attributes.size());
        }
        long offset = write.offset;
        if (write.header.length() == 0) {
            Replies.ok(write.connection, write.correlationId, new BucketResults.Written(Replies.attrs(attributes)));
            write.close();
            return;
        }
        long needed = service.read(write.bucket, s -> s.capacityNeeded(write.header.fsId(), write.header.length()));
        if (needed > 0) {
            service.housekeeping().reserveCapacity(write.bucket, write.header.fsId(), needed, granted -> afterGrant(write, granted));
            return;
        }
        stripe(write, offset);
    }

    /** Goes on with a write once space was granted; no space is ENOSPC, no answer a retry for the frontend. */
    private void afterGrant(Write write, Housekeeping.Grant grant) {
        switch (grant) {
            case GRANTED -> attempt(write);
            case REFUSED -> write.fail(Errno.ENOSPC);
            case UNAVAILABLE -> {
                Replies.retry(write.connection, write.correlationId);
                write.close();
            }
        }
    }

    /** An append goes after the file's size and after every append still in flight on it. */
    private long place(Write write, long size) {
        if (write.header.offset() != BucketFrames.APPEND) {
            return write.header.offset();
        }
        long[] tail = appendTails.computeIfAbsent(write.header.ino(), ino -> new long[] {size, 0});
        long offset = Math.max(size, tail[0]);
        tail[0] = offset + write.header.length();
        tail[1]++;
        return offset;
    }

    private long newExtentId(int bucket) {
        long fromState = service.read(bucket, s -> s.nextExtentId());
        long next = Math.max(fromState, nextExtentIds.getOrDefault(bucket, 0L));
        nextExtentIds.put(bucket, next + 1);
        return next;
    }

    private void stripe(Write write, long offset) {
        ClusterConfig config = service.config();
        Protection protection = config.protection();
        long extentId = newExtentId(write.bucket);
        StripePlacement.Plan plan;
        try {
            plan = StripePlacement.plan(config, extentId, write.header.length());
        } catch (io.strata.runtime.StrataException e) {
            write.fail(Errno.EIO);
            return;
        }
        int width = protection.stripeWidth();
        int chunkBytes = plan.chunkBytes();
        long chunkSpace = 4096L + chunkBytes;
        Reservations reserved = reservations(write.bucket);
        List<ChunkAddress> addresses = new ArrayList<>();
        List<Integer> withoutSpace = new ArrayList<>();
        for (int shard = 0; shard < width; shard++) {
            int drive = plan.drives().get(shard);
            if (drive < 0) {
                addresses.add(null);
                continue;
            }
            Optional<Long> address = service.read(write.bucket, s -> s.space().findFree(drive, chunkSpace, reserved));
            if (address.isEmpty()) {
                withoutSpace.add(drive);
                continue;
            }
            reserved.add(drive, address.get(), chunkSpace);
            addresses.add(new ChunkAddress(drive, address.get()));
        }
        if (!withoutSpace.isEmpty()) {
            release(write.bucket, addresses, chunkSpace);
            if (++write.spaceRetries > MAX_SPACE_RETRIES) {
                write.fail(Errno.ENOSPC);
                return;
            }
            leaseAll(write, withoutSpace);
            return;
        }
        Stripe stripe = new Stripe(extentId, protection.dataDrives(), protection.parityDrives(), chunkBytes, plan.storedData(),
                write.header.length(), addresses, plan.missing());
        MemorySegment[] shards = encode(write, stripe);
        sendChunks(write, stripe, shards, offset);
    }

    /**
     * Leases regions on every drive of the stripe that lacks space, all at once, and tries the
     * write again when all have answered: with space if every lease was granted. A bucket's first
     * write lacks space on all D+P drives; one lease after the other (a control-plane commit and a
     * bucket commit each) made it wait six rounds instead of one.
     */
    private void leaseAll(Write write, List<Integer> drives) {
        int[] unanswered = {drives.size()};
        Housekeeping.Grant[] outcome = {Housekeeping.Grant.GRANTED};
        for (int drive : drives) {
            service.housekeeping().leaseRegions(write.bucket, drive, grant -> {
                // a refusal decides (no space), then a lease without an answer (try again), then grants
                if (grant == Housekeeping.Grant.REFUSED || outcome[0] == Housekeeping.Grant.GRANTED) {
                    outcome[0] = grant;
                }
                if (--unanswered[0] == 0) {
                    afterGrant(write, outcome[0]);
                }
            });
        }
    }

    private void release(int bucket, List<ChunkAddress> addresses, long bytes) {
        Reservations reserved = reservations(bucket);
        for (ChunkAddress address : addresses) {
            if (address != null) {
                reserved.remove(address.drive(), address.address());
            }
        }
    }

    /** The stripe's shards: data chunks (zero-padded to the chunk size) then parity; null for implicit zero chunks. */
    private MemorySegment[] encode(Write write, Stripe stripe) {
        write.relayOut(stripe);
        int data = stripe.dataShards();
        MemorySegment[] shards = new MemorySegment[stripe.totalShards()];
        for (int i = 0; i < data; i++) {
            if (i < stripe.storedData()) {
                shards[i] = write.shard(i);
            }
        }
        MemorySegment[] dataShards = new MemorySegment[data];
        System.arraycopy(shards, 0, dataShards, 0, data);
        MemorySegment[] parity = new MemorySegment[stripe.parityShards()];
        for (int p = 0; p < parity.length; p++) {
            parity[p] = write.shard(data + p);
            shards[data + p] = parity[p];
        }
        coder(stripe).encode(dataShards, parity);
        return shards;
    }

    private ErasureCoder coder(Stripe stripe) {
        long key = ((long) stripe.dataShards() << 32) | stripe.parityShards();
        return coders.computeIfAbsent(key, k -> ErasureCoder.create(stripe.dataShards(), stripe.parityShards()));
    }

    private void sendChunks(Write write, Stripe stripe, MemorySegment[] shards, long offset) {
        long term = service.groups().term(write.bucket);
        int[] outstanding = {0};
        long[] failed = {0};
        List<Integer> toWrite = new ArrayList<>();
        for (int shard = 0; shard < stripe.totalShards(); shard++) {
            if (stripe.isStored(shard) && !stripe.isMissing(shard)) {
                toWrite.add(shard);
            }
        }
        outstanding[0] = toWrite.size();
        for (int shard : toWrite) {
            ChunkAddress address = stripe.shards().get(shard);
            DriveFrames.WriteHeader header = new DriveFrames.WriteHeader(address.drive(), address.address(), stripe.extentId(), shard,
                    write.bucket, term, stripe.chunkBytes());
            service.drives().write(header, shards[shard].asByteBuffer(), null, (status, data) -> {
                if (status == DriveClient.UNREACHABLE) {
                    // no answer: the chunk may still be queued on the connection, and must not be overwritten by a later write
                    write.reusable = false;
                }
                if (!DriveClient.isOk(status)) {
                    failed[0] |= 1L << shard;
                }
                if (--outstanding[0] == 0) {
                    landed(write, stripe, failed[0], offset);
                }
            });
        }
    }

    private void landed(Write write, Stripe stripe, long failed, long offset) {
        Stripe written = failed == 0 ? stripe : stripe.withMissing(stripe.missing() | failed);
        int present = 0;
        for (int shard = 0; shard < written.totalShards(); shard++) {
            if (!written.isStored(shard) || !written.isMissing(shard)) {
                present++;
            }
        }
        if (present < written.dataShards()) {
            release(write.bucket, stripe.shards(), 0);
            write.fail(Errno.EIO);
            return;
        }
        RequestOrigin origin = new RequestOrigin(write.header.mountId(), write.header.requestId());
        BucketCommand.CommitExtent commit = new BucketCommand.CommitExtent(write.header.ino(), offset, write.header.length(), 0,
                written, write.header.uid(), ComputeService.nowNs(), origin);
        service.submit(write.bucket, commit, answer -> {
            release(write.bucket, stripe.shards(), 0);
            if (answer.errno() == BucketFrames.RETRY) {
                Replies.retry(write.connection, write.correlationId);
            } else if (answer.errno() != 0) {
                Replies.error(write.connection, write.correlationId, answer.errno());
            } else {
                Attributes after = ((CommandResult.AttrResult) answer.result()).attributes();
                Replies.ok(write.connection, write.correlationId, new BucketResults.Written(Replies.attrs(after)));
            }
            write.close();
        });
    }
}
