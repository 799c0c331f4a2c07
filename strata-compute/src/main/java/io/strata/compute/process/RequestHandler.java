package io.strata.compute.process;

import io.strata.compute.bucket.Attributes;
import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.CommandResult;
import io.strata.compute.bucket.DirEntry;
import io.strata.compute.bucket.Errno;
import io.strata.compute.bucket.FileType;
import io.strata.compute.bucket.LookupResult;
import io.strata.compute.bucket.NamespaceOp;
import io.strata.compute.bucket.RequestOrigin;
import io.strata.compute.client.BucketClient;
import io.strata.compute.wire.BucketFrames;
import io.strata.compute.wire.BucketRequest;
import io.strata.compute.wire.BucketResults;
import io.strata.protocol.nio.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Serves one frontend request for a bucket this process leads: reads from the replica's state,
 * changes through the bucket's log, and changes that reach into other buckets as transactions.
 */
final class RequestHandler {
    private final ComputeService service;
    private final int bucket;
    private final Connection connection;
    private final long correlationId;

    RequestHandler(ComputeService service, int bucket, Connection connection, long correlationId) {
        this.service = service;
        this.bucket = bucket;
        this.connection = connection;
        this.correlationId = correlationId;
    }

    private static RequestOrigin origin(BucketRequest.Caller caller) {
        return caller.requestId() == 0 ? RequestOrigin.NONE : new RequestOrigin(caller.mountId(), caller.requestId());
    }

    void handle(BucketRequest request) {
        long now = ComputeService.nowNs();
        switch (request) {
            case BucketRequest.Lookup r -> linearizable(() -> lookup(r));
            case BucketRequest.GetAttr r -> linearizable(() -> reply(Replies.attrs(read(s -> s.getattr(r.ino())))));
            case BucketRequest.Readlink r -> linearizable(() -> reply(new BucketResults.Readlink(read(s -> s.readlink(r.ino())))));
            case BucketRequest.Readdir r -> linearizable(() -> readdir(r));
            case BucketRequest.Layout r -> linearizable(() -> layout(r));
            case BucketRequest.Create r -> create(r, now);
            case BucketRequest.SetAttr r -> change(new BucketCommand.SetAttr(r.ino(), r.valid(), r.mode(), r.uid(), r.gid(), r.size(),
                    r.atimeNs(), r.mtimeNs(), r.ctimeNs(), r.caller().uid(), now, origin(r.caller())), null);
            case BucketRequest.Unlink r -> change(new BucketCommand.Unlink(r.parent(), r.name(), now, origin(r.caller())),
                    () -> new NamespaceOp.Unlink(r.parent(), r.name(), now));
            case BucketRequest.Rmdir r -> change(new BucketCommand.Rmdir(r.parent(), r.name(), now, origin(r.caller())),
                    () -> new NamespaceOp.Rmdir(r.parent(), r.name(), now));
            case BucketRequest.Link r -> change(new BucketCommand.Link(r.ino(), r.newParent(), r.newName(), now, origin(r.caller())),
                    () -> new NamespaceOp.Link(r.ino(), r.newParent(), r.newName(), now));
            case BucketRequest.Rename r -> change(new BucketCommand.Rename(r.parent(), r.name(), r.newParent(), r.newName(), r.flags(),
                    now, origin(r.caller())), () -> new NamespaceOp.Rename(r.parent(), r.name(), r.newParent(), r.newName(), r.flags(), now));
            case BucketRequest.Open r -> change(new BucketCommand.Opened(r.ino(), r.handle()), null);
            case BucketRequest.Release r -> change(new BucketCommand.Released(r.ino(), r.handle()), null);
            case BucketRequest.TxPhase r -> linearizable(() -> reply(read(s -> Transactions.phaseOf(s, r.txId()))));
        }
    }

    /** Answers a read once everything acknowledged before it arrived is in this replica. */
    private void linearizable(Runnable read) {
        service.afterReadBarrier(bucket, () -> {
            try {
                read.run();
            } catch (io.strata.compute.bucket.FsException e) {
                Replies.error(connection, correlationId, e.errno());
            }
        }, () -> Replies.retry(connection, correlationId));
    }

    private <T> T read(Function<io.strata.compute.bucket.BucketState, T> query) {
        return service.read(bucket, query);
    }

    private void reply(Object result) {
        Replies.ok(connection, correlationId, result);
    }

    private void lookup(BucketRequest.Lookup r) {
        LookupResult found = read(s -> s.lookup(r.parent(), r.name()));
        reply(new BucketResults.Entry(found.ino(), found.type().name(),
                found.attributes() == null ? null : Replies.attrs(found.attributes())));
    }

    private void readdir(BucketRequest.Readdir r) {
        int max = Math.max(1, Math.min(r.max(), 1024));
        List<BucketResults.DirEntry> entries = read(s -> {
            List<DirEntry> page = s.readdir(r.dir(), r.afterCookie(), max + 1);
            List<BucketResults.DirEntry> out = new ArrayList<>();
            for (DirEntry entry : page) {
                Attributes attributes = r.plus() && BucketClient.bucketOf(entry.ino()) == bucket ? s.getattr(entry.ino()) : null;
                out.add(Replies.entry(entry, attributes));
            }
            return out;
        });
        boolean end = entries.size() <= max;
        reply(new BucketResults.DirPage(end ? entries : entries.subList(0, max), end));
    }

    private void layout(BucketRequest.Layout r) {
        BucketResults.Layout layout = read(s -> new BucketResults.Layout(s.getattr(r.ino()).size(),
                Replies.segments(s.layout(r.ino(), r.offset(), Math.min(r.length(), 64L << 20)))));
        reply(layout);
    }

    private void create(BucketRequest.Create r, long now) {
        FileType type = FileType.valueOf(r.type());
        RequestOrigin origin = origin(r.caller());
        BucketCommand.Create command = new BucketCommand.Create(r.parent(), r.name(), type, r.mode(), r.caller().uid(),
                r.caller().gid(), r.rdev(), r.symlinkTarget(), r.exclusive(), now, origin, r.openHandle());
        change(command, type == FileType.DIR
                ? () -> read(s -> s.mkdirOp(r.parent(), r.name(), r.mode(), r.caller().uid(), r.caller().gid(), now)) : null);
    }

    /**
     * Submits a change; if the bucket answers EXDEV (the change reaches keys of other buckets) and
     * {@code asTransaction} says how, runs it as a cross-bucket transaction instead.
     */
    private void change(BucketCommand command, Supplier<NamespaceOp> asTransaction) {
        service.submit(bucket, command, answer -> {
            if (answer.errno() == Errno.EXDEV && asTransaction != null) {
                NamespaceOp op;
                try {
                    op = asTransaction.get();
                } catch (io.strata.compute.bucket.FsException e) {
                    Replies.error(connection, correlationId, e.errno());
                    return;
                }
                service.transactions().run(bucket, op, originOf(command), (errno, attributes) -> {
                    if (errno != 0) {
                        Replies.error(connection, correlationId, errno);
                    } else {
                        reply(attributes == null ? new Object() : Replies.attrs(attributes));
                    }
                });
                return;
            }
            answer(answer);
        });
    }

    private static RequestOrigin originOf(BucketCommand command) {
        return switch (command) {
            case BucketCommand.Create c -> c.origin();
            case BucketCommand.Unlink c -> c.origin();
            case BucketCommand.Rmdir c -> c.origin();
            case BucketCommand.Link c -> c.origin();
            case BucketCommand.Rename c -> c.origin();
            default -> RequestOrigin.NONE;
        };
    }

    private void answer(BucketStateMachine.Answer answer) {
        if (answer.errno() == BucketFrames.RETRY) {
            Replies.retry(connection, correlationId);
        } else if (answer.errno() != 0) {
            Replies.error(connection, correlationId, answer.errno());
        } else if (answer.result() instanceof CommandResult.AttrResult attr) {
            reply(Replies.attrs(attr.attributes()));
        } else {
            reply(new Object());
        }
    }
}
