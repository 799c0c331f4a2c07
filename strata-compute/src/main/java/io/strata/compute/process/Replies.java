package io.strata.compute.process;

import io.strata.compute.bucket.Attributes;
import io.strata.compute.bucket.DirEntry;
import io.strata.compute.bucket.Segment;
import io.strata.compute.wire.BucketFrames;
import io.strata.compute.wire.BucketResults;
import io.strata.protocol.nio.Connection;
import io.strata.runtime.Json;
import java.nio.ByteBuffer;
import java.util.List;

/** Answers to frontends, and the conversion of bucket state into what the wire carries. */
final class Replies {
    private Replies() {
    }

    static void ok(Connection connection, long correlationId, Object result) {
        connection.send(BucketFrames.BUCKET_REPLY, correlationId, null, BucketFrames.replyHeader(0, -1),
                ByteBuffer.wrap(Json.toBytes(result)));
    }

    static void error(Connection connection, long correlationId, int errno) {
        connection.send(BucketFrames.BUCKET_REPLY, correlationId, null, BucketFrames.replyHeader(errno, -1));
    }

    static void notLeader(Connection connection, long correlationId, int leader) {
        connection.send(BucketFrames.BUCKET_REPLY, correlationId, null, BucketFrames.replyHeader(BucketFrames.NOT_LEADER, leader));
    }

    static void retry(Connection connection, long correlationId) {
        connection.send(BucketFrames.BUCKET_REPLY, correlationId, null, BucketFrames.replyHeader(BucketFrames.RETRY, -1));
    }

    static BucketResults.Attrs attrs(Attributes a) {
        return new BucketResults.Attrs(a.ino(), a.type().name(), a.mode(), a.uid(), a.gid(), a.size(), a.nlink(), a.atimeNs(),
                a.mtimeNs(), a.ctimeNs(), (int) a.rdev(), a.generation());
    }

    static BucketResults.Segment segment(Segment segment) {
        return switch (segment) {
            case Segment.Hole hole -> new BucketResults.Segment(hole.fileOffset(), hole.length(), null);
            case Segment.Data data -> new BucketResults.Segment(data.view().fileOffset(), data.view().length(), data.view());
        };
    }

    static BucketResults.DirEntry entry(DirEntry entry, Attributes attributes) {
        return new BucketResults.DirEntry(entry.name(), entry.ino(), entry.type().name(), entry.cookie(),
                attributes == null ? null : attrs(attributes));
    }

    static List<BucketResults.Segment> segments(List<Segment> segments) {
        return segments.stream().map(Replies::segment).toList();
    }
}
