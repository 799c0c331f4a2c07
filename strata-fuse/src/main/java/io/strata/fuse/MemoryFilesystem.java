package io.strata.fuse;

import static io.strata.fuse.FuseProtocol.O_ACCMODE;
import static io.strata.fuse.FuseProtocol.O_APPEND;
import static io.strata.fuse.FuseProtocol.O_EXCL;
import static io.strata.fuse.FuseProtocol.O_TRUNC;
import static io.strata.fuse.FuseProtocol.ROOT_ID;

import io.strata.runtime.Clock;
import io.strata.runtime.StrataException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A complete POSIX file system in memory, for tests and as the "no storage work" backend that
 * measures the FUSE ceiling. All state is behind one lock; every operation replies before
 * returning.
 *
 * <p>Permission checks are the kernel's: mount with {@link MountOptions#defaultPermissions()}.
 * Everything else is done here: link counts, ENOENT/EEXIST/ENOTEMPTY/EISDIR/ENOTDIR, O_EXCL (via
 * create), O_TRUNC (via open, as ATOMIC_O_TRUNC is negotiated), O_APPEND, sparse files of any size
 * whose holes read as zeros, rename with NOREPLACE and EXCHANGE, hard links, symlinks, extended
 * attributes (user, trusted, security), and unlinked files that live on while open.
 *
 * <p>O_APPEND: in page-cache and direct-IO mode alike the kernel sends an appending write with the
 * offset of the end of file as its attribute cache knows it, and O_APPEND in the write's flags.
 * This file system places such writes at its own end of file instead. On one mount both are the
 * same; across mounts (the distributed case) only the file system's end of file is right.
 *
 * <p>With {@link Storage#DISCARD} no data is kept: writes are accepted and dropped, reads return
 * zeros up to the file's size, which is tracked as usual.
 */
public final class MemoryFilesystem implements FuseFilesystem {

    /** Whether file data is kept. */
    public enum Storage {
        STORE,
        DISCARD
    }

    /**
     * @param directIo answer opens with FOPEN_DIRECT_IO (no page cache) instead of FOPEN_KEEP_CACHE
     * @param capacityBytes the size statfs reports
     */
    public record Options(Storage storage, boolean directIo, long entryTimeoutNanos, long attrTimeoutNanos,
            long capacityBytes) {
        public Options {
            if (storage == null || entryTimeoutNanos < 0 || attrTimeoutNanos < 0 || capacityBytes <= 0) {
                throw StrataException.invalid("memory file system options %s, %d ns, %d ns, %d bytes are invalid",
                        storage, entryTimeoutNanos, attrTimeoutNanos, capacityBytes);
            }
        }

        public static Options defaults() {
            return new Options(Storage.STORE, false, 1_000_000_000L, 1_000_000_000L, 1L << 40);
        }

        public Options withStorage(Storage value) {
            return new Options(value, directIo, entryTimeoutNanos, attrTimeoutNanos, capacityBytes);
        }

        public Options withDirectIo(boolean value) {
            return new Options(storage, value, entryTimeoutNanos, attrTimeoutNanos, capacityBytes);
        }

        public Options withTimeouts(long entryNanos, long attrNanos) {
            return new Options(storage, directIo, entryNanos, attrNanos, capacityBytes);
        }
    }

    static final int MAX_NAME_BYTES = 255;
    static final int MAX_XATTR_VALUE_BYTES = 64 * 1024;
    static final long MAX_FILE_BYTES = Long.MAX_VALUE / 2;
    private static final int BLOCK_BYTES = 4096;

    private final Options options;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, MemoryNode> nodes = new HashMap<>();
    private final Map<Long, OpenFile> openFiles = new HashMap<>();
    private long nextNodeId = ROOT_ID + 1;
    private long nextHandle = 1;

    private record OpenFile(MemoryNode node, int flags) {
    }

    public MemoryFilesystem(Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
        MemoryNode.Directory root = new MemoryNode.Directory(ROOT_ID, FuseProtocol.S_IFDIR | 0755, 0, 0, now(), ROOT_ID);
        nodes.put(ROOT_ID, root);
    }

    public MemoryFilesystem() {
        this(Options.defaults(), Clock.SYSTEM);
    }

    public Options options() {
        return options;
    }

    long now() {
        return clock.epochMillis() * 1_000_000L;
    }

    // ---- seeding (populating without the kernel, for tests and benchmarks) ----

    /** Creates the directory {@code path} (relative to the root) and its missing parents; answers its node id. */
    public long seedDirectory(String path) {
        lock.lock();
        try {
            MemoryNode.Directory dir = root();
            for (String part : path.split("/")) {
                if (part.isEmpty()) {
                    continue;
                }
                MemoryNode.DirEntry entry = dir.get(part);
                if (entry == null) {
                    MemoryNode.Directory child = newDirectory(dir, 0755, 0, 0);
                    link(dir, part, child);
                    dir = child;
                } else if (entry.node() instanceof MemoryNode.Directory existing) {
                    dir = existing;
                } else {
                    throw StrataException.conflict("cannot seed directory %s: %s is not a directory", path, part);
                }
            }
            return dir.id;
        } finally {
            lock.unlock();
        }
    }

    /** Creates (or replaces) the regular file {@code path} with {@code content}; answers its node id. */
    public long seedFile(String path, byte[] content) {
        int slash = path.lastIndexOf('/');
        long parentId = seedDirectory(slash < 0 ? "" : path.substring(0, slash));
        String name = path.substring(slash + 1);
        lock.lock();
        try {
            MemoryNode.Directory parent = (MemoryNode.Directory) nodes.get(parentId);
            MemoryNode.DirEntry existing = parent.get(name);
            if (existing != null) {
                unlinkEntry(parent, name, existing.node());
            }
            MemoryNode.File file = newFile(0644, 0, 0);
            link(parent, name, file);
            writeData(file, 0, MemorySegment.ofArray(content));
            return file.id;
        } finally {
            lock.unlock();
        }
    }

    /** Nodes alive (named, referenced by the kernel, or open), the root included. */
    public int nodeCount() {
        lock.lock();
        try {
            return nodes.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- node bookkeeping ----

    private MemoryNode.Directory root() {
        return (MemoryNode.Directory) nodes.get(ROOT_ID);
    }

    private MemoryNode.Directory newDirectory(MemoryNode.Directory parent, int mode, int uid, int gid) {
        MemoryNode.Directory dir = new MemoryNode.Directory(nextNodeId++, FuseProtocol.S_IFDIR | (mode & 07777), uid,
                gid, now(), parent.id);
        dir.nlink = 2;
        nodes.put(dir.id, dir);
        return dir;
    }

    private MemoryNode.File newFile(int mode, int uid, int gid) {
        MemoryNode.File file = new MemoryNode.File(nextNodeId++, FuseProtocol.S_IFREG | (mode & 07777), uid, gid, now(),
                options.storage() == Storage.STORE);
        file.nlink = 0;
        nodes.put(file.id, file);
        return file;
    }

    /** Adds a name for {@code node} in {@code dir}: the link count grows, the directory's times change. */
    private void link(MemoryNode.Directory dir, String name, MemoryNode node) {
        dir.add(name, node);
        if (node instanceof MemoryNode.Directory child) {
            child.parent = dir.id;
            child.nlink = Math.max(child.nlink, 2);
            dir.nlink++;
        } else {
            node.nlink++;
        }
        touchDirectory(dir);
    }

    void unlinkEntry(MemoryNode.Directory dir, String name, MemoryNode node) {
        dir.remove(name);
        if (node instanceof MemoryNode.Directory) {
            node.nlink = 0;
            dir.nlink--;
        } else {
            node.nlink--;
        }
        node.ctimeNanos = now();
        touchDirectory(dir);
        releaseIfUnused(node);
    }

    void touchDirectory(MemoryNode.Directory dir) {
        long now = now();
        dir.mtimeNanos = now;
        dir.ctimeNanos = now;
    }

    private void releaseIfUnused(MemoryNode node) {
        if (node.id != ROOT_ID && node.isUnused()) {
            nodes.remove(node.id);
        }
    }

    private Attributes attributes(MemoryNode n) {
        return new Attributes(n.id, n.size, n.blocks(), n.atimeNanos / 1_000_000_000L,
                (int) (n.atimeNanos % 1_000_000_000L), n.mtimeNanos / 1_000_000_000L,
                (int) (n.mtimeNanos % 1_000_000_000L), n.ctimeNanos / 1_000_000_000L,
                (int) (n.ctimeNanos % 1_000_000_000L), n.mode, n.nlink, n.uid, n.gid, n.rdev, BLOCK_BYTES);
    }

    /** An entry for the kernel, counted as one more kernel reference. */
    private Entry entry(MemoryNode node) {
        node.lookups++;
        return new Entry(node.id, 0, attributes(node), options.entryTimeoutNanos(), options.attrTimeoutNanos());
    }

    /** The directory {@code id}, or an errno: ENOENT if gone, ENOTDIR if not a directory. */
    Object directory(long id) {
        MemoryNode node = nodes.get(id);
        if (node == null) {
            return Errno.ENOENT;
        }
        return node instanceof MemoryNode.Directory dir ? dir : (Object) Errno.ENOTDIR;
    }

    static boolean badName(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES;
    }

    // ---- FuseFilesystem ----

    @Override
    public void lookup(Request request, long parent, String name, EntryReply reply) {
        lock.lock();
        try {
            if (badName(name)) {
                reply.error(Errno.ENAMETOOLONG);
                return;
            }
            if (!(directory(parent) instanceof MemoryNode.Directory dir)) {
                reply.error((Integer) directory(parent));
                return;
            }
            MemoryNode.DirEntry found = dir.get(name);
            if (found == null) {
                reply.error(Errno.ENOENT);
                return;
            }
            reply.entry(entry(found.node()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void forget(long nodeId, long lookups) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node != null) {
                node.lookups = Math.max(0, node.lookups - lookups);
                releaseIfUnused(node);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void getattr(Request request, long nodeId, long fileHandleOrMinusOne, AttrReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node == null) {
                reply.error(Errno.ENOENT);
                return;
            }
            reply.attributes(attributes(node), options.attrTimeoutNanos());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setattr(Request request, long nodeId, AttributeChanges changes, AttrReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node == null) {
                reply.error(Errno.ENOENT);
                return;
            }
            if (changes.changesSize()) {
                int errno = resize(node, changes.size());
                if (errno != 0) {
                    reply.error(errno);
                    return;
                }
            }
            applyOwnershipAndTimes(node, changes);
            reply.attributes(attributes(node), options.attrTimeoutNanos());
        } finally {
            lock.unlock();
        }
    }

    private int resize(MemoryNode node, long size) {
        if (node.isDirectory()) {
            return Errno.EISDIR;
        }
        if (!(node instanceof MemoryNode.File file)) {
            return Errno.EINVAL;
        }
        if (size < 0 || size > MAX_FILE_BYTES) {
            return Errno.EFBIG;
        }
        if (file.data != null && size < file.size) {
            file.data.truncate(size);
        }
        file.size = size;
        file.mtimeNanos = now();
        file.ctimeNanos = file.mtimeNanos;
        return 0;
    }

    private void applyOwnershipAndTimes(MemoryNode node, AttributeChanges c) {
        long now = now();
        if (c.changesMode()) {
            node.mode = (node.mode & FuseProtocol.S_IFMT) | (c.mode() & 07777);
        }
        if (c.changesUid()) {
            node.uid = c.uid();
        }
        if (c.changesGid()) {
            node.gid = c.gid();
        }
        if (c.changesAtime()) {
            node.atimeNanos = c.atimeNow() ? now : c.atimeSeconds() * 1_000_000_000L + c.atimeNanos();
        }
        if (c.changesMtime()) {
            node.mtimeNanos = c.mtimeNow() ? now : c.mtimeSeconds() * 1_000_000_000L + c.mtimeNanos();
        }
        node.ctimeNanos = c.changesCtime() ? c.ctimeSeconds() * 1_000_000_000L + c.ctimeNanos() : now;
    }

    @Override
    public void readlink(Request request, long nodeId, ReadlinkReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node instanceof MemoryNode.Symlink link) {
                reply.target(link.target);
            } else {
                reply.error(node == null ? Errno.ENOENT : Errno.EINVAL);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Checks that {@code name} can be created in {@code parent}: 0, or the errno to answer. */
    private int creatable(Object parent, String name) {
        if (badName(name)) {
            return Errno.ENAMETOOLONG;
        }
        if (!(parent instanceof MemoryNode.Directory dir)) {
            return (Integer) parent;
        }
        return dir.get(name) != null ? Errno.EEXIST : 0;
    }

    @Override
    public void symlink(Request request, long parent, String name, String target, EntryReply reply) {
        lock.lock();
        try {
            Object dir = directory(parent);
            int errno = creatable(dir, name);
            if (errno != 0) {
                reply.error(errno);
                return;
            }
            MemoryNode.Symlink link = new MemoryNode.Symlink(nextNodeId++, request.uid(), request.gid(), now(), target);
            link.nlink = 0;
            nodes.put(link.id, link);
            link((MemoryNode.Directory) dir, name, link);
            reply.entry(entry(link));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void mknod(Request request, long parent, String name, int mode, int rdev, int umask, EntryReply reply) {
        lock.lock();
        try {
            Object dir = directory(parent);
            int errno = creatable(dir, name);
            if (errno != 0) {
                reply.error(errno);
                return;
            }
            MemoryNode node;
            if (FuseProtocol.isRegular(mode) || (mode & FuseProtocol.S_IFMT) == 0) {
                node = newFile(mode, request.uid(), request.gid());
            } else if (FuseProtocol.isDirectory(mode) || FuseProtocol.isSymlink(mode)) {
                reply.error(Errno.EINVAL);
                return;
            } else {
                node = new MemoryNode.Special(nextNodeId++, mode, rdev, request.uid(), request.gid(), now());
                node.nlink = 0;
                nodes.put(node.id, node);
            }
            link((MemoryNode.Directory) dir, name, node);
            reply.entry(entry(node));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void mkdir(Request request, long parent, String name, int mode, int umask, EntryReply reply) {
        lock.lock();
        try {
            Object dir = directory(parent);
            int errno = creatable(dir, name);
            if (errno != 0) {
                reply.error(errno);
                return;
            }
            MemoryNode.Directory parentDir = (MemoryNode.Directory) dir;
            MemoryNode.Directory child = newDirectory(parentDir, mode, request.uid(), request.gid());
            link(parentDir, name, child);
            reply.entry(entry(child));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void unlink(Request request, long parent, String name, EmptyReply reply) {
        lock.lock();
        try {
            if (!(directory(parent) instanceof MemoryNode.Directory dir)) {
                reply.error((Integer) directory(parent));
                return;
            }
            MemoryNode.DirEntry entry = dir.get(name);
            if (entry == null) {
                reply.error(Errno.ENOENT);
            } else if (entry.node().isDirectory()) {
                reply.error(Errno.EISDIR);
            } else {
                unlinkEntry(dir, name, entry.node());
                reply.ok();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rmdir(Request request, long parent, String name, EmptyReply reply) {
        lock.lock();
        try {
            if (!(directory(parent) instanceof MemoryNode.Directory dir)) {
                reply.error((Integer) directory(parent));
                return;
            }
            MemoryNode.DirEntry entry = dir.get(name);
            if (entry == null) {
                reply.error(Errno.ENOENT);
            } else if (!(entry.node() instanceof MemoryNode.Directory child)) {
                reply.error(Errno.ENOTDIR);
            } else if (!child.isEmpty()) {
                reply.error(Errno.ENOTEMPTY);
            } else {
                unlinkEntry(dir, name, child);
                reply.ok();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rename(Request request, long parent, String name, long newParent, String newName, int flags,
            EmptyReply reply) {
        lock.lock();
        try {
            reply(reply, MemoryRename.rename(this, parent, name, newParent, newName, flags));
        } finally {
            lock.unlock();
        }
    }

    private static void reply(EmptyReply reply, int errno) {
        if (errno == 0) {
            reply.ok();
        } else {
            reply.error(errno);
        }
    }

    @Override
    public void link(Request request, long nodeId, long newParent, String newName, EntryReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            Object dir = directory(newParent);
            int errno = node == null ? Errno.ENOENT : node.isDirectory() ? Errno.EPERM : creatable(dir, newName);
            if (errno != 0) {
                reply.error(errno);
                return;
            }
            link((MemoryNode.Directory) dir, newName, node);
            node.ctimeNanos = now();
            reply.entry(entry(node));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void open(Request request, long nodeId, int openFlags, OpenReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node == null) {
                reply.error(Errno.ENOENT);
                return;
            }
            if (node.isDirectory()) {
                reply.error(Errno.EISDIR);
                return;
            }
            if ((openFlags & O_TRUNC) != 0 && (openFlags & O_ACCMODE) != 0 && node.isRegular() && node.size > 0) {
                resize(node, 0);
            }
            reply.opened(openHandle(node, openFlags), openReplyFlags());
        } finally {
            lock.unlock();
        }
    }

    private long openHandle(MemoryNode node, int flags) {
        long handle = nextHandle++;
        openFiles.put(handle, new OpenFile(node, flags));
        node.openFiles++;
        return handle;
    }

    private int openReplyFlags() {
        return options.directIo() ? FuseProtocol.FOPEN_DIRECT_IO : FuseProtocol.FOPEN_KEEP_CACHE;
    }

    @Override
    public void read(Request request, long nodeId, long fileHandle, long offset, int size, ReadReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (!(node instanceof MemoryNode.File file)) {
                reply.error(node == null ? Errno.ENOENT : node.isDirectory() ? Errno.EISDIR : Errno.EINVAL);
                return;
            }
            int count = (int) Math.max(0, Math.min(size, file.size - offset));
            count = Math.min(count, reply.requestedBytes());
            MemorySegment target = reply.buffer();
            if (file.data == null) {
                target.asSlice(0, count).fill((byte) 0);
            } else {
                file.data.read(offset, target, count);
            }
            reply.ok(count);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(Request request, long nodeId, long fileHandle, long offset, MemorySegment data, int openFlags,
            WriteReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (!(node instanceof MemoryNode.File file)) {
                reply.error(node == null ? Errno.ENOENT : node.isDirectory() ? Errno.EISDIR : Errno.EINVAL);
                return;
            }
            long at = (openFlags & O_APPEND) != 0 ? file.size : offset;
            if (at < 0 || at + data.byteSize() > MAX_FILE_BYTES) {
                reply.error(Errno.EFBIG);
                return;
            }
            writeData(file, at, data);
            reply.written((int) data.byteSize());
        } finally {
            lock.unlock();
        }
    }

    private void writeData(MemoryNode.File file, long offset, MemorySegment data) {
        if (file.data != null) {
            file.data.write(offset, data);
        }
        file.size = Math.max(file.size, offset + data.byteSize());
        file.mtimeNanos = now();
        file.ctimeNanos = file.mtimeNanos;
    }

    @Override
    public void statfs(Request request, long nodeId, StatfsReply reply) {
        lock.lock();
        try {
            long used = 0;
            for (MemoryNode node : nodes.values()) {
                used += node.blocks() * 512;
            }
            long blocks = options.capacityBytes() / BLOCK_BYTES;
            long free = Math.max(0, blocks - (used + BLOCK_BYTES - 1) / BLOCK_BYTES);
            long files = 1L << 32;
            reply.stats(new FsStats(blocks, free, free, files, files - nodes.size(), BLOCK_BYTES, MAX_NAME_BYTES,
                    BLOCK_BYTES));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush(Request request, long nodeId, long fileHandle, EmptyReply reply) {
        reply.ok();
    }

    @Override
    public void release(Request request, long nodeId, long fileHandle, int openFlags, EmptyReply reply) {
        lock.lock();
        try {
            OpenFile open = openFiles.remove(fileHandle);
            if (open != null) {
                open.node().openFiles--;
                releaseIfUnused(open.node());
            }
            reply.ok();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void fsync(Request request, long nodeId, long fileHandle, boolean dataOnly, EmptyReply reply) {
        reply.ok();
    }

    @Override
    public void opendir(Request request, long nodeId, int openFlags, OpenReply reply) {
        lock.lock();
        try {
            Object dir = directory(nodeId);
            if (dir instanceof Integer errno) {
                reply.error(errno);
            } else {
                reply.opened(0, 0);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void readdir(Request request, long nodeId, long fileHandle, long offset, DirectoryReply reply) {
        lock.lock();
        try {
            Object found = directory(nodeId);
            if (!(found instanceof MemoryNode.Directory dir)) {
                reply.error((Integer) found);
                return;
            }
            listFrom(dir, offset, reply);
            reply.ok();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void readdirplus(Request request, long nodeId, long fileHandle, long offset, DirectoryReply reply) {
        readdir(request, nodeId, fileHandle, offset, reply);
    }

    /** Adds entries after cookie {@code offset} until the reply is full. */
    private void listFrom(MemoryNode.Directory dir, long offset, DirectoryReply reply) {
        if (offset < 1 && !reply.add(".", dir.id, dir.mode, 1)) {
            return;
        }
        if (offset < 2) {
            MemoryNode parent = nodes.get(dir.parent);
            if (!reply.add("..", dir.parent, parent == null ? dir.mode : parent.mode, 2)) {
                return;
            }
        }
        long after = Math.max(offset, MemoryNode.Directory.FIRST_COOKIE - 1);
        for (MemoryNode.DirEntry e : dir.byCookie.tailMap(after, false).values()) {
            boolean added;
            if (reply.isPlus()) {
                Entry entry = new Entry(e.node().id, 0, attributes(e.node()), options.entryTimeoutNanos(),
                        options.attrTimeoutNanos());
                added = reply.addPlus(e.name(), entry, e.cookie());
                if (added) {
                    e.node().lookups++;
                }
            } else {
                added = reply.add(e.name(), e.node().id, e.node().mode, e.cookie());
            }
            if (!added) {
                return;
            }
        }
    }

    @Override
    public void fsyncdir(Request request, long nodeId, long fileHandle, boolean dataOnly, EmptyReply reply) {
        reply.ok();
    }

    @Override
    public void access(Request request, long nodeId, int mask, EmptyReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            reply(reply, node == null ? Errno.ENOENT : MemoryAccess.check(node, request, mask));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void create(Request request, long parent, String name, int mode, int umask, int openFlags,
            CreateReply reply) {
        lock.lock();
        try {
            Object dir = directory(parent);
            int errno = creatable(dir, name);
            if (errno == Errno.EEXIST && (openFlags & O_EXCL) == 0) {
                openExisting((MemoryNode.Directory) dir, name, openFlags, reply);
                return;
            }
            if (errno != 0) {
                reply.error(errno);
                return;
            }
            MemoryNode.File file = newFile(mode, request.uid(), request.gid());
            link((MemoryNode.Directory) dir, name, file);
            reply.created(entry(file), openHandle(file, openFlags), openReplyFlags());
        } finally {
            lock.unlock();
        }
    }

    /** CREATE without O_EXCL on a name that exists (another creator won a race): open it. */
    private void openExisting(MemoryNode.Directory dir, String name, int openFlags, CreateReply reply) {
        MemoryNode node = dir.get(name).node();
        if (node.isDirectory()) {
            reply.error(Errno.EISDIR);
            return;
        }
        if ((openFlags & O_TRUNC) != 0 && node.isRegular()) {
            resize(node, 0);
        }
        reply.created(entry(node), openHandle(node, openFlags), openReplyFlags());
    }

    @Override
    public void fallocate(Request request, long nodeId, long fileHandle, long offset, long length, int mode,
            EmptyReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (!(node instanceof MemoryNode.File file)) {
                reply.error(node == null ? Errno.ENOENT : Errno.ENODEV);
                return;
            }
            reply(reply, MemoryAccess.fallocate(file, offset, length, mode, now()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void lseek(Request request, long nodeId, long fileHandle, long offset, int whence, LseekReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (!(node instanceof MemoryNode.File file)) {
                reply.error(node == null ? Errno.ENOENT : Errno.EINVAL);
                return;
            }
            long result = MemoryAccess.seek(file, offset, whence);
            if (result < 0) {
                reply.error((int) -result);
            } else {
                reply.offset(result);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void getxattr(Request request, long nodeId, String name, XattrReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            byte[] value = node == null || node.xattrs == null ? null : node.xattrs.get(name);
            if (node == null) {
                reply.error(Errno.ENOENT);
            } else if (value == null) {
                reply.error(Errno.ENODATA);
            } else {
                reply.value(value);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setxattr(Request request, long nodeId, String name, MemorySegment value, int flags, EmptyReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node == null) {
                reply.error(Errno.ENOENT);
                return;
            }
            boolean exists = node.xattrs != null && node.xattrs.containsKey(name);
            if (!supportedXattr(name)) {
                reply.error(Errno.EOPNOTSUPP);
            } else if (badName(name) || value.byteSize() > MAX_XATTR_VALUE_BYTES) {
                reply.error(badName(name) ? Errno.ERANGE : Errno.E2BIG);
            } else if ((flags & FuseProtocol.XATTR_CREATE) != 0 && exists) {
                reply.error(Errno.EEXIST);
            } else if ((flags & FuseProtocol.XATTR_REPLACE) != 0 && !exists) {
                reply.error(Errno.ENODATA);
            } else {
                node.xattrs().put(name, value.toArray(ValueLayout.JAVA_BYTE));
                node.ctimeNanos = now();
                reply.ok();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The user, trusted and security namespaces are kept as plain values. POSIX ACLs (system.*)
     * are refused: stored as opaque values they would shadow the mode bits (cp -a, for one, then
     * skips its chmod), and this file system does not interpret them.
     */
    private static boolean supportedXattr(String name) {
        return name.startsWith("user.") || name.startsWith("trusted.") || name.startsWith("security.");
    }

    @Override
    public void listxattr(Request request, long nodeId, XattrReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node == null) {
                reply.error(Errno.ENOENT);
                return;
            }
            reply.names(node.xattrs == null ? new ArrayList<>() : new ArrayList<>(node.xattrs.keySet()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removexattr(Request request, long nodeId, String name, EmptyReply reply) {
        lock.lock();
        try {
            MemoryNode node = nodes.get(nodeId);
            if (node == null) {
                reply.error(Errno.ENOENT);
            } else if (node.xattrs == null || node.xattrs.remove(name) == null) {
                reply.error(Errno.ENODATA);
            } else {
                node.ctimeNanos = now();
                reply.ok();
            }
        } finally {
            lock.unlock();
        }
    }
}
