package io.strata.frontend.fs;

import com.fasterxml.jackson.databind.JsonNode;
import io.strata.compute.client.BucketClient;
import io.strata.compute.wire.BucketFrames;
import io.strata.compute.wire.BucketRequest;
import io.strata.compute.wire.BucketRequest.Caller;
import io.strata.compute.wire.BucketResults;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.FilesystemEntry;
import io.strata.control.process.ProcessContext;
import io.strata.frontend.wire.FrontendFrames;
import io.strata.fuse.AttrReply;
import io.strata.fuse.AttributeChanges;
import io.strata.fuse.CreateReply;
import io.strata.fuse.DirectoryReply;
import io.strata.fuse.EmptyReply;
import io.strata.fuse.EntryReply;
import io.strata.fuse.Errno;
import io.strata.fuse.FsStats;
import io.strata.fuse.FuseFilesystem;
import io.strata.fuse.FuseProtocol;
import io.strata.fuse.OpenReply;
import io.strata.fuse.ReadReply;
import io.strata.fuse.ReadlinkReply;
import io.strata.fuse.Reply;
import io.strata.fuse.Request;
import io.strata.fuse.StatfsReply;
import io.strata.fuse.WriteReply;
import io.strata.fuse.XattrReply;
import io.strata.runtime.Json;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A Strata filesystem as the kernel sees it through FUSE. The kernel's requests arrive on the
 * FUSE session's threads; each is handed to the frontend process's own thread, which sends it to
 * the bucket that owns the inode (or reads chunks from drives) and replies when the answer comes.
 * Nothing here blocks a thread: the reply is completed from the frontend's duty cycle.
 *
 * <p>Files are opened with direct IO. Names and attributes are cached by the kernel, and the
 * layouts of files by the mount ({@link LayoutCache}), and every change is
 * announced to every mount before it is acknowledged ({@link CacheCoherence}): a write
 * acknowledged through one mount is seen by a read that starts afterwards through any other.
 */
public final class StrataFilesystem implements FuseFilesystem {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StrataFilesystem.class);
    private static final int READDIR_PAGE = 256;
    private static final int MAX_STALE_RETRIES = 8;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;
    private static final int O_EXCL = 0200;
    private static final int O_ACCMODE = 3;

    private final ProcessContext context;
    private final BucketClient buckets;
    private final StripeReader reader;
    private final CacheCoherence coherence;
    private final LayoutCache layouts = new LayoutCache();
    private final ReadAhead readAhead;
    private final int fsId;
    private final int mountId;
    private final Inodes inodes;
    /** Request ids and file handles, unique for the mount across the processes serving it (see {@link MountCounters}). */
    private final AtomicLong requestIds;
    private final AtomicLong handles;

    public StrataFilesystem(ProcessContext context, BucketClient buckets, StripeReader reader, CacheCoherence coherence,
            int fsId, long rootIno, int mountId) {
        this.context = context;
        this.buckets = buckets;
        this.reader = reader;
        this.coherence = coherence;
        this.fsId = fsId;
        this.mountId = mountId;
        this.inodes = new Inodes(rootIno);
        this.readAhead = new ReadAhead(coherence::asked, (ino, asked) -> coherence.mayCache(fsId, ino, asked));
        long now = context.clock().epochMillis();
        this.requestIds = MountCounters.requestIds(now);
        this.handles = MountCounters.handles(now);
    }

    private Caller caller(Request request) {
        return new Caller(fsId, request.uid(), request.gid(), mountId, requestIds.getAndIncrement());
    }

    private static final int ENOENT = 2;
    private static final int ESTALE = 116;

    /**
     * Whether a request names an inode rather than a name in a directory. An inode that no longer
     * exists is ESTALE, not ENOENT: the kernel then walks the path again (once), so a getattr or
     * open racing with a rename that replaced the file long ago finds the new one instead of
     * failing. A file replaced moments ago still lingers in its bucket, and the open finds it.
     */
    private static boolean byInode(BucketRequest request) {
        return request instanceof BucketRequest.GetAttr || request instanceof BucketRequest.Open
                || request instanceof BucketRequest.SetAttr || request instanceof BucketRequest.Layout
                || request instanceof BucketRequest.Readlink;
    }

    /** Runs {@code work} on the frontend's own thread; a queue that is full answers EAGAIN. */
    private void onFrontend(Reply reply, Runnable work) {
        if (!context.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                if (!reply.isCompleted()) {
                    reply.error(Errno.EIO);
                }
            }
        })) {
            reply.error(Errno.EAGAIN);
        }
    }

    /** Calls a bucket and hands a successful result on; an errno goes straight to the kernel. */
    private <T> void call(BucketRequest request, Reply reply, Class<T> type, Consumer<T> onResult) {
        call(request, reply, type, onResult, null);
    }

    /**
     * As {@link #call}, for a change to {@code inos} (and {@code names}): every mount is told of it
     * before the result is handed on, also when the answer was lost (EIO: the bucket may have made
     * the change all the same), which is then reported.
     */
    private <T> void change(BucketRequest request, Reply reply, Class<T> type, List<FrontendFrames.Name> names,
            long[] inos, Consumer<T> onResult) {
        call(request, reply, type, result -> namesChanged(() -> onResult.accept(result), names, inos),
                () -> namesChanged(() -> reply.error(Errno.EIO), names, inos));
    }

    /** As {@link #change(BucketRequest, Reply, Class, List, long[], Consumer)}, for a change to one inode that removes no name. */
    private <T> void change(BucketRequest request, Reply reply, Class<T> type, long ino, Consumer<T> onResult) {
        change(request, reply, type, List.of(), new long[] {ino}, onResult);
    }

    /**
     * As {@link #change(BucketRequest, Reply, Class, List, long[], Consumer)}, for a change to the
     * name {@code name} in directory {@code dir} (created or removed): the directory changes, and
     * the name may now lead elsewhere on every other mount.
     */
    private <T> void changeName(BucketRequest request, Reply reply, Class<T> type, long dir, String name, Consumer<T> onResult) {
        change(request, reply, type, List.of(new FrontendFrames.Name(dir, name)), new long[] {dir}, onResult);
    }

    private <T> void call(BucketRequest request, Reply reply, Class<T> type, Consumer<T> onResult, Runnable onLostAnswer) {
        call(request, type, onResult, onLostAnswer, reply::error, reply::isCompleted);
    }

    /** As {@link #call(BucketRequest, Reply, Class, Consumer, Runnable)}, for an answer that goes elsewhere than to a kernel's reply. */
    private <T> void call(BucketRequest request, Class<T> type, Consumer<T> onResult, Runnable onLostAnswer, IntConsumer fail,
            BooleanSupplier answered) {
        buckets.call(request, (status, result) -> {
            if (status == Errno.EIO && onLostAnswer != null) {
                onLostAnswer.run();
                return;
            }
            if (status != 0) {
                fail.accept(status == ENOENT && byInode(request) ? ESTALE : status);
                return;
            }
            try {
                onResult.accept(type == JsonNode.class ? type.cast(result) : Json.fromTree(result, type));
            } catch (RuntimeException e) {
                LOG.error("{} failed on its answer", request.getClass().getSimpleName(), e);
                if (!answered.getAsBoolean()) {
                    fail.accept(Errno.EIO);
                }
            }
        });
    }

    @Override
    public void lookup(Request request, long parent, String name, EntryReply reply) {
        onFrontend(reply, () -> {
            CacheCoherence.Asked asked = coherence.asked();
            long dir = inodes.ino(parent);
            // a name that is not there is cached too (a negative entry): every change that
            // creates a name drops it on every other mount, as a removal does
            call(new BucketRequest.Lookup(caller(request), dir, name), BucketResults.Entry.class,
                    entry -> withAttrs(request, entry, reply, attrs -> reply.entry(entry(dir, attrs, asked))), null,
                    errno -> {
                        if (errno == ENOENT) {
                            reply.entry(io.strata.fuse.Entry.negative(coherence.entryTimeoutNanos(fsId, dir, dir, asked)));
                        } else {
                            reply.error(errno);
                        }
                    }, reply::isCompleted);
        });
    }

    /** An entry for the kernel, its name and attributes cached as {@link CacheCoherence} allows. */
    private io.strata.fuse.Entry entry(long parentIno, BucketResults.Attrs attrs, CacheCoherence.Asked asked) {
        return inodes.entry(attrs, coherence.entryTimeoutNanos(fsId, parentIno, attrs.ino(), asked),
                attrTimeout(attrs, asked));
    }

    private long attrTimeout(BucketResults.Attrs attrs, CacheCoherence.Asked asked) {
        return coherence.attrTimeoutNanos(fsId, attrs.ino(), asked);
    }

    /** Runs {@code then} once every mount was told that these inodes changed. */
    private void inodesChanged(Runnable then, long... inos) {
        namesChanged(then, List.of(), inos);
    }

    /** Runs {@code then} once every mount was told that these inodes changed and these names may have led elsewhere. */
    private void namesChanged(Runnable then, List<FrontendFrames.Name> names, long... inos) {
        coherence.changed(fsId, mountId, Arrays.stream(inos).distinct().toArray(), names, then);
    }

    /** The attributes of an entry: in the answer when the directory's bucket owns the inode too, else from its bucket. */
    private void withAttrs(Request request, BucketResults.Entry entry, Reply reply, Consumer<BucketResults.Attrs> then) {
        if (entry.attrs() != null) {
            then.accept(entry.attrs());
            return;
        }
        call(new BucketRequest.GetAttr(caller(request), entry.ino()), reply, BucketResults.Attrs.class, then);
    }

    @Override
    public void getattr(Request request, long nodeId, long fileHandleOrMinusOne, AttrReply reply) {
        onFrontend(reply, () -> {
            CacheCoherence.Asked asked = coherence.asked();
            call(new BucketRequest.GetAttr(caller(request), inodes.ino(nodeId)), reply, BucketResults.Attrs.class,
                    attrs -> reply.attributes(inodes.attributes(attrs), attrTimeout(attrs, asked)));
        });
    }

    @Override
    public void setattr(Request request, long nodeId, AttributeChanges changes, AttrReply reply) {
        long atime = changes.atimeSeconds() * 1_000_000_000L + changes.atimeNanos();
        long mtime = changes.mtimeSeconds() * 1_000_000_000L + changes.mtimeNanos();
        long ctime = changes.ctimeSeconds() * 1_000_000_000L + changes.ctimeNanos();
        long ino = inodes.ino(nodeId);
        onFrontend(reply, () -> change(new BucketRequest.SetAttr(caller(request), ino, changes.valid(), changes.mode(),
                changes.uid(), changes.gid(), changes.size(), atime, mtime, ctime), reply, BucketResults.Attrs.class, ino,
                attrs -> reply.attributes(inodes.attributes(attrs), 0)));
    }

    @Override
    public void readlink(Request request, long nodeId, ReadlinkReply reply) {
        onFrontend(reply, () -> call(new BucketRequest.Readlink(caller(request), inodes.ino(nodeId)), reply,
                BucketResults.Readlink.class, link -> reply.target(link.target())));
    }

    private void create(Request request, long parent, String name, String type, int mode, int rdev, String target,
            boolean exclusive, EntryReply reply) {
        onFrontend(reply, () -> {
            CacheCoherence.Asked asked = coherence.asked();
            long dir = inodes.ino(parent);
            changeName(new BucketRequest.Create(caller(request), dir, name, type, mode & 07777, rdev, target, exclusive, 0), reply,
                    BucketResults.Attrs.class, dir, name, attrs -> reply.entry(entry(dir, attrs, asked)));
        });
    }

    @Override
    public void symlink(Request request, long parent, String name, String target, EntryReply reply) {
        create(request, parent, name, "SYMLINK", 0777, 0, target, true, reply);
    }

    @Override
    public void mknod(Request request, long parent, String name, int mode, int rdev, int umask, EntryReply reply) {
        create(request, parent, name, Inodes.typeOf(mode), mode & ~umask, rdev, null, true, reply);
    }

    @Override
    public void mkdir(Request request, long parent, String name, int mode, int umask, EntryReply reply) {
        create(request, parent, name, "DIR", mode & ~umask, 0, null, true, reply);
    }

    @Override
    public void unlink(Request request, long parent, String name, EmptyReply reply) {
        long dir = inodes.ino(parent);
        onFrontend(reply, () -> changeName(new BucketRequest.Unlink(caller(request), dir, name), reply, JsonNode.class, dir, name,
                result -> reply.ok()));
    }

    @Override
    public void rmdir(Request request, long parent, String name, EmptyReply reply) {
        long dir = inodes.ino(parent);
        onFrontend(reply, () -> changeName(new BucketRequest.Rmdir(caller(request), dir, name), reply, JsonNode.class, dir, name,
                result -> reply.ok()));
    }

    @Override
    public void rename(Request request, long parent, String name, long newParent, String newName, int flags, EmptyReply reply) {
        long from = inodes.ino(parent);
        long to = inodes.ino(newParent);
        List<FrontendFrames.Name> names = List.of(new FrontendFrames.Name(from, name),
                new FrontendFrames.Name(to, newName));
        onFrontend(reply, () -> change(new BucketRequest.Rename(caller(request), from, name, to, newName, flags), reply, JsonNode.class,
                names, new long[] {from, to}, result -> reply.ok()));
    }

    @Override
    public void link(Request request, long nodeId, long newParent, String newName, EntryReply reply) {
        long dir = inodes.ino(newParent);
        onFrontend(reply, () -> {
            CacheCoherence.Asked asked = coherence.asked();
            long ino = inodes.ino(nodeId);
            // the file's link count and change time change too
            change(new BucketRequest.Link(caller(request), ino, dir, newName), reply, BucketResults.Attrs.class,
                    List.of(new FrontendFrames.Name(dir, newName)), new long[] {dir, ino}, attrs -> reply.entry(entry(dir, attrs, asked)));
        });
    }

    private long newHandle() {
        return ((long) mountId << 48) | (handles.getAndIncrement() & MountCounters.HANDLE_MASK);
    }

    @Override
    public void open(Request request, long nodeId, int openFlags, OpenReply reply) {
        long handle = newHandle();
        long ino = inodes.ino(nodeId);
        onFrontend(reply, () -> {
            Runnable opened = () -> call(new BucketRequest.Open(caller(request), ino, handle), reply, JsonNode.class,
                    result -> reply.opened(handle, FuseProtocol.FOPEN_DIRECT_IO));
            if ((openFlags & O_TRUNC) != 0 && (openFlags & O_ACCMODE) != 0) {
                change(truncate(request, ino), reply, BucketResults.Attrs.class, ino, attrs -> opened.run());
            } else {
                opened.run();
            }
        });
    }

    private BucketRequest.SetAttr truncate(Request request, long ino) {
        return new BucketRequest.SetAttr(caller(request), ino, 1 << 3, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public void create(Request request, long parent, String name, int mode, int umask, int openFlags, CreateReply reply) {
        long handle = newHandle();
        boolean exclusive = (openFlags & O_EXCL) != 0;
        // one commit creates (or finds) the file and opens it under the handle
        long dir = inodes.ino(parent);
        onFrontend(reply, () -> {
            CacheCoherence.Asked asked = coherence.asked();
            changeName(new BucketRequest.Create(caller(request), dir, name, "FILE",
                (mode & ~umask) & 07777, 0, null, exclusive, handle), reply, BucketResults.Attrs.class, dir, name, attrs -> {
                    java.util.function.Consumer<BucketResults.Attrs> created = entry -> reply.created(
                            entry(dir, entry, asked), handle, FuseProtocol.FOPEN_DIRECT_IO);
                    if ((openFlags & O_TRUNC) != 0 && attrs.size() > 0) {
                        // an existing file was found: its truncation is a change of its own
                        change(truncate(request, attrs.ino()), reply, BucketResults.Attrs.class, attrs.ino(), created);
                    } else {
                        created.accept(attrs);
                    }
                });
        });
    }

    @Override
    public void read(Request request, long nodeId, long fileHandle, long offset, int size, ReadReply reply) {
        onFrontend(reply, () -> {
            long ino = inodes.ino(nodeId);
            ReadTarget kernel = toKernel(reply);
            Runnable ordinary = () -> readAttempt(request, ino, offset, size, kernel, 0);
            if (!readAhead.serve(fileHandle, ino, offset, size, kernel, ordinary)) {
                ordinary.run();
                readAhead.readFrom(fileHandle, ino, offset, size,
                        (at, length, target) -> readAttempt(request, ino, at, length, target, 0));
            }
        });
    }

    private static ReadTarget toKernel(ReadReply reply) {
        return new ReadTarget() {
            @Override
            public MemorySegment memory() {
                return reply.buffer();
            }

            @Override
            public void ok(int length) {
                reply.ok(length);
            }

            @Override
            public void error(int errno) {
                reply.error(errno);
            }

            @Override
            public boolean isCompleted() {
                return reply.isCompleted();
            }
        };
    }

    /**
     * Reads with the layout of the 4 MiB window the read lies in: kept from an earlier read, or
     * asked of the bucket (and kept if nothing changed the file meanwhile); a read across two
     * windows, or one retried, asks for its own range.
     */
    private void readAttempt(Request request, long ino, long offset, int size, ReadTarget reply, int attempt) {
        long window = attempt == 0 ? LayoutCache.windowOf(offset, size) : -1;
        BucketResults.Layout kept = window < 0 ? null : layouts.get(ino, window, context.clock().nanoTime());
        if (kept != null) {
            readWith(request, ino, offset, size, kept, reply, attempt);
            return;
        }
        CacheCoherence.Asked asked = coherence.asked();
        BucketRequest.Layout ask = window < 0 ? new BucketRequest.Layout(caller(request), ino, offset, size)
                : new BucketRequest.Layout(caller(request), ino, window, LayoutCache.WINDOW_BYTES);
        call(ask, BucketResults.Layout.class, layout -> {
            if (window >= 0 && coherence.mayCache(fsId, ino, asked)) {
                layouts.put(ino, window, layout, asked.atNanos() + CacheCoherence.CACHE_NS);
            }
            readWith(request, ino, offset, size, layout, reply, attempt);
        }, null, reply::error, reply::isCompleted);
    }

    private void readWith(Request request, long ino, long offset, int size, BucketResults.Layout layout, ReadTarget reply,
            int attempt) {
        long end = Math.min(offset + size, layout.size());
        int length = (int) Math.max(0, end - offset);
        if (length == 0) {
            reply.ok(0);
            return;
        }
        MemorySegment target = reply.memory().asSlice(0, length);
        reader.read(LayoutCache.clip(layout, offset, end), offset, target, status -> {
            if (status == StripeReader.OK) {
                reply.ok(length);
            } else if (status == StripeReader.STALE && attempt < MAX_STALE_RETRIES) {
                // the space was reused since the layout was given: ask again, and keep nothing of the file from before
                layouts.drop(ino);
                readAttempt(request, ino, offset, size, reply, attempt + 1);
            } else {
                reply.error(Errno.EIO);
            }
        });
    }

    /** Forgets what this mount keeps of an inode; the frontend's thread only. */
    public void forget(long ino) {
        layouts.drop(ino);
        readAhead.drop(ino);
    }

    @Override
    public void write(Request request, long nodeId, long fileHandle, long offset, MemorySegment data, int openFlags,
            WriteReply reply) {
        long ino = inodes.ino(nodeId);
        onFrontend(reply, () -> {
            Caller caller = caller(request);
            long at = (openFlags & O_APPEND) != 0 ? -1 : offset;
            BucketFrames.WriteHeader header = new BucketFrames.WriteHeader(BucketClient.bucketOf(ino), ino, at, caller.uid(),
                    caller.gid(), fsId, mountId, caller.requestId(), (int) data.byteSize());
            buckets.write(header, data.asByteBuffer(), null, (status, result) -> {
                if (status == Errno.EIO) {
                    // the bucket may have committed the write before its answer was lost
                    inodesChanged(() -> reply.error(Errno.EIO), ino);
                } else if (status != 0) {
                    reply.error(status);
                } else {
                    inodesChanged(() -> reply.written((int) data.byteSize()), ino);
                }
            });
        });
    }

    @Override
    public void statfs(Request request, long nodeId, StatfsReply reply) {
        ClusterConfig config = context.config().get();
        FilesystemEntry fs = config.dataPlane().filesystems().get(fsId);
        if (fs == null) {
            reply.error(Errno.ENOENT);
            return;
        }
        long block = 4096;
        long total = fs.capacityBytes() / block;
        long used = Math.min(total, (fs.usedBytes() + block - 1) / block);
        reply.stats(new FsStats(total, total - used, total - used, 1L << 32, (1L << 32) - 1, (int) block, 255, (int) block));
    }

    @Override
    public void flush(Request request, long nodeId, long fileHandle, EmptyReply reply) {
        reply.ok();
    }

    @Override
    public void fsync(Request request, long nodeId, long fileHandle, boolean dataOnly, EmptyReply reply) {
        // a write is answered only once its stripe is on the drives and its extent committed: nothing is left to flush
        reply.ok();
    }

    @Override
    public void fsyncdir(Request request, long nodeId, long fileHandle, boolean dataOnly, EmptyReply reply) {
        reply.ok();
    }

    @Override
    public void release(Request request, long nodeId, long fileHandle, int openFlags, EmptyReply reply) {
        onFrontend(reply, () -> {
            readAhead.release(fileHandle);
            call(new BucketRequest.Release(caller(request), inodes.ino(nodeId), fileHandle), reply, JsonNode.class,
                    result -> reply.ok());
        });
    }

    @Override
    public void opendir(Request request, long nodeId, int openFlags, OpenReply reply) {
        reply.opened(0, 0);
    }

    @Override
    public void releasedir(Request request, long nodeId, long fileHandle, EmptyReply reply) {
        reply.ok();
    }

    @Override
    public void readdir(Request request, long nodeId, long fileHandle, long offset, DirectoryReply reply) {
        onFrontend(reply, () -> listDirectory(request, nodeId, offset, reply));
    }

    @Override
    public void readdirplus(Request request, long nodeId, long fileHandle, long offset, DirectoryReply reply) {
        onFrontend(reply, () -> listDirectory(request, nodeId, offset, reply));
    }

    /**
     * Offsets 1 and 2 are "." and "..", a bucket cookie c is offset c + 2: cookies are per-directory
     * insertion numbers, so paging never skips or repeats an entry that stays.
     */
    private void listDirectory(Request request, long nodeId, long offset, DirectoryReply reply) {
        long dir = inodes.ino(nodeId);
        CacheCoherence.Asked asked = coherence.asked();
        call(new BucketRequest.GetAttr(caller(request), dir), reply, BucketResults.Attrs.class, self -> {
            if (offset < 1 && !addEntry(reply, ".", self, 1, dir, asked)) {
                reply.ok();
                return;
            }
            if (offset < 2 && !addEntry(reply, "..", self, 2, dir, asked)) {
                reply.ok();
                return;
            }
            long after = Math.max(0, offset - 2);
            call(new BucketRequest.Readdir(caller(request), dir, after, READDIR_PAGE, reply.isPlus()), reply,
                    BucketResults.DirPage.class, page -> fillPage(request, dir, asked, page, 0, reply));
        });
    }

    private void fillPage(Request request, long dir, CacheCoherence.Asked asked, BucketResults.DirPage page, int index,
            DirectoryReply reply) {
        for (int i = index; i < page.entries().size(); i++) {
            BucketResults.DirEntry entry = page.entries().get(i);
            if (reply.isPlus() && entry.attrs() == null) {
                int next = i;
                call(new BucketRequest.GetAttr(caller(request), entry.ino()), reply, BucketResults.Attrs.class, attrs -> {
                    if (addEntry(reply, entry.name(), attrs, entry.cookie() + 2, dir, asked)) {
                        fillPage(request, dir, asked, page, next + 1, reply);
                    } else {
                        reply.ok();
                    }
                });
                return;
            }
            boolean added = entry.attrs() != null ? addEntry(reply, entry.name(), entry.attrs(), entry.cookie() + 2, dir, asked)
                    : reply.add(entry.name(), inodes.nodeId(entry.ino()), Inodes.typeBits(entry.type()), entry.cookie() + 2);
            if (!added) {
                break;
            }
        }
        reply.ok();
    }

    /** One entry of directory {@code dir}; with attributes (READDIRPLUS), cached as a lookup's answer would be. */
    private boolean addEntry(DirectoryReply reply, String name, BucketResults.Attrs attrs, long nextOffset, long dir,
            CacheCoherence.Asked asked) {
        if (reply.isPlus()) {
            boolean dotted = name.equals(".") || name.equals("..");
            return reply.addPlus(name, dotted ? io.strata.fuse.Entry.negative(0) : entry(dir, attrs, asked), nextOffset);
        }
        return reply.add(name, inodes.nodeId(attrs.ino()), Inodes.typeBits(attrs.type()), nextOffset);
    }

    @Override
    public void access(Request request, long nodeId, int mask, EmptyReply reply) {
        reply.ok();
    }

    @Override
    public void getxattr(Request request, long nodeId, String name, XattrReply reply) {
        reply.error(Errno.EOPNOTSUPP);
    }

    @Override
    public void listxattr(Request request, long nodeId, XattrReply reply) {
        reply.error(Errno.EOPNOTSUPP);
    }

    @Override
    public void setxattr(Request request, long nodeId, String name, MemorySegment value, int flags, EmptyReply reply) {
        reply.error(Errno.EOPNOTSUPP);
    }

    @Override
    public void removexattr(Request request, long nodeId, String name, EmptyReply reply) {
        reply.error(Errno.EOPNOTSUPP);
    }
}
