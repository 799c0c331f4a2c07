package io.strata.compute.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.compute.wire.BucketFrames;
import io.strata.compute.wire.BucketRequest;
import io.strata.config.cluster.BucketEntry;
import io.strata.config.cluster.ClusterConfig;
import io.strata.control.process.PeerConnections;
import io.strata.control.process.ProcessContext;
import io.strata.protocol.Frame;
import io.strata.runtime.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends requests to the leaders of buckets, from a frontend (or a compute process coordinating a
 * transaction). It remembers each bucket's leader, follows NOT_LEADER hints, and when a leader
 * is lost keeps asking the bucket's other members until one has taken over: a request fails
 * only after {@link #DEFAULT_PATIENCE_MS} without any member answering. Mutations carry a
 * request id, so a re-sent one is answered, not done twice.
 */
public final class BucketClient {
    public static final long DEFAULT_PATIENCE_MS = 60_000;
    private static final long REQUEST_TIMEOUT_MS = 10_000;
    private static final long[] PAUSES_MS = {0, 10, 25, 50, 100, 200, 400};

    /** Errno used when no member answered in time. */
    public static final int EIO = 5;

    public interface Callback {
        /** {@code status} 0 with the result, or an errno (result null). Runs on the caller's thread. */
        void done(int status, JsonNode result);
    }

    private final ProcessContext context;
    private final Map<Integer, Integer> leaders = new HashMap<>();
    private final long patienceMs;

    public BucketClient(ProcessContext context) {
        this(context, DEFAULT_PATIENCE_MS);
    }

    public BucketClient(ProcessContext context, long patienceMs) {
        this.context = context;
        this.patienceMs = patienceMs;
    }

    public static int bucketOf(long ino) {
        return (int) (ino >>> 48) & 0xFFFF;
    }

    public void call(BucketRequest request, Callback callback) {
        int bucket = bucketOf(request.routingIno());
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ByteBuffer header = ByteBuffer.allocate(4).order(Frame.ORDER).putInt(bucket).flip();
        send(bucket, BucketFrames.BUCKET_REQUEST, new ByteBuffer[] {header, ByteBuffer.wrap(body)}, null, callback,
                deadline(), 0, null);
    }

    /** The raw answer of a bucket: {@code status} 0 with the reply body, or an errno / {@link BucketFrames#RETRY} with none. */
    public interface RawCallback {
        void done(int status, byte[] body);
    }

    /** Sends a frame of any bucket type to the bucket's leader, following leaders as {@link #call} does. */
    public void raw(int bucket, short type, ByteBuffer[] parts, RawCallback callback) {
        send(bucket, type, parts, null, (status, result) -> callback.done(status, null), deadline(), 0, callback);
    }

    /**
     * Writes file data through the file's bucket; {@code data} is not copied and returns through
     * {@code onSent}. Once every container of the cluster speaks protocol 2, the data goes with its
     * CRC32C, which the bucket checks before storing anything.
     */
    public void write(BucketFrames.WriteHeader header, ByteBuffer data, Runnable onSent, Callback callback) {
        if (checkedWrites()) {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(data.duplicate());
            send(header.bucket(), BucketFrames.BUCKET_WRITE_CHECKED, new ByteBuffer[] {BucketFrames.checkedWriteHeader(header,
                    (int) crc.getValue()), data}, onSent, callback, deadline(), 0, null);
            return;
        }
        send(header.bucket(), BucketFrames.BUCKET_WRITE, new ByteBuffer[] {BucketFrames.writeHeader(header), data}, onSent,
                callback, deadline(), 0, null);
    }

    /** Whether writes carry checksums: this release speaks protocol 2 and so does every container. */
    public boolean checkedWrites() {
        return io.strata.runtime.Release.current().protocol() >= BucketFrames.CHECKED_PROTOCOL
                && context.config().get().activeProtocol() >= BucketFrames.CHECKED_PROTOCOL;
    }

    private long deadline() {
        return context.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMs);
    }

    private void send(int bucket, short type, ByteBuffer[] parts, Runnable onSent, Callback callback, long deadlineNanos, int attempt,
            RawCallback raw) {
        Integer leader = leaderOf(bucket, attempt);
        if (leader == null) {
            if (raw != null) {
                raw.done(2, null);
                return;
            }
            finish(onSent, callback, 2, null);
            return;
        }
        ByteBuffer[] views = new ByteBuffer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            views[i] = parts[i].duplicate();
        }
        context.peers().request(leader, type, REQUEST_TIMEOUT_MS, new PeerConnections.ResponseHandler() {
            @Override
            public void onResponse(Frame frame) {
                int status = BucketFrames.replyStatus(frame.payload());
                if (status == BucketFrames.NOT_LEADER || status == BucketFrames.RETRY) {
                    int hint = BucketFrames.replyLeader(frame.payload());
                    if (status == BucketFrames.NOT_LEADER) {
                        if (hint >= 0 && hint != leader) {
                            leaders.put(bucket, hint);
                        } else {
                            leaders.remove(bucket);
                        }
                    }
                    retry(bucket, type, parts, onSent, callback, deadlineNanos, attempt, hint >= 0 && hint != leader && attempt < 3, raw);
                    return;
                }
                if (raw != null) {
                    byte[] bytes = null;
                    if (status == 0) {
                        ByteBuffer body = BucketFrames.replyBody(frame.payload());
                        bytes = new byte[body.remaining()];
                        body.get(bytes);
                    }
                    raw.done(status, bytes);
                    return;
                }
                JsonNode result = null;
                if (status == 0) {
                    ByteBuffer body = BucketFrames.replyBody(frame.payload());
                    byte[] bytes = new byte[body.remaining()];
                    body.get(bytes);
                    try {
                        result = Json.mapper().readTree(bytes);
                    } catch (IOException e) {
                        status = EIO;
                    }
                }
                finish(onSent, callback, status, result);
            }

            @Override
            public void onFailure(String reason) {
                leaders.remove(bucket);
                retry(bucket, type, parts, onSent, callback, deadlineNanos, attempt, false, raw);
            }
        }, null, views);
    }

    private void retry(int bucket, short type, ByteBuffer[] parts, Runnable onSent, Callback callback, long deadlineNanos,
            int attempt, boolean atOnce, RawCallback raw) {
        if (context.clock().nanoTime() > deadlineNanos) {
            if (raw != null) {
                raw.done(EIO, null);
                return;
            }
            finish(onSent, callback, EIO, null);
            return;
        }
        long pause = atOnce ? 0 : PAUSES_MS[Math.min(attempt, PAUSES_MS.length - 1)];
        context.timers().after(pause, () -> send(bucket, type, parts, onSent, callback, deadlineNanos, attempt + 1, raw));
    }

    private static void finish(Runnable onSent, Callback callback, int status, JsonNode result) {
        if (onSent != null) {
            onSent.run();
        }
        callback.done(status, result);
    }

    /** The process believed to lead the bucket; without a belief, the members in turn. */
    private Integer leaderOf(int bucket, int attempt) {
        Integer known = leaders.get(bucket);
        if (known != null) {
            return known;
        }
        ClusterConfig config = context.config().get();
        List<BucketEntry> buckets = config.dataPlane().buckets();
        if (bucket < 0 || bucket >= buckets.size() || buckets.get(bucket).members().isEmpty()) {
            return null;
        }
        List<Integer> members = buckets.get(bucket).members();
        return members.get(attempt % members.size());
    }

    /** Tells the client who leads a bucket (a compute process learns it from Ratis). */
    public void leaderIs(int bucket, int processId) {
        leaders.put(bucket, processId);
    }
}
