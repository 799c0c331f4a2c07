package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ExecutorService;

/**
 * Serves every request of a delegate on another thread, after the reader has returned: the way a
 * network backend replies. Proves that replies (and WRITE payloads) work when completed later from
 * any thread.
 */
final class ThreadHoppingFilesystem implements FuseFilesystem {
    private final FuseFilesystem delegate;
    private final ExecutorService executor;

    ThreadHoppingFilesystem(FuseFilesystem delegate, ExecutorService executor) {
        this.delegate = delegate;
        this.executor = executor;
    }

    @Override
    public void init(SessionParameters parameters) {
        delegate.init(parameters);
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public void lookup(Request r, long parent, String name, EntryReply reply) {
        executor.execute(() -> delegate.lookup(r, parent, name, reply));
    }

    @Override
    public void forget(long nodeId, long lookups) {
        executor.execute(() -> delegate.forget(nodeId, lookups));
    }

    @Override
    public void getattr(Request r, long nodeId, long fh, AttrReply reply) {
        executor.execute(() -> delegate.getattr(r, nodeId, fh, reply));
    }

    @Override
    public void setattr(Request r, long nodeId, AttributeChanges changes, AttrReply reply) {
        executor.execute(() -> delegate.setattr(r, nodeId, changes, reply));
    }

    @Override
    public void readlink(Request r, long nodeId, ReadlinkReply reply) {
        executor.execute(() -> delegate.readlink(r, nodeId, reply));
    }

    @Override
    public void symlink(Request r, long parent, String name, String target, EntryReply reply) {
        executor.execute(() -> delegate.symlink(r, parent, name, target, reply));
    }

    @Override
    public void mknod(Request r, long parent, String name, int mode, int rdev, int umask, EntryReply reply) {
        executor.execute(() -> delegate.mknod(r, parent, name, mode, rdev, umask, reply));
    }

    @Override
    public void mkdir(Request r, long parent, String name, int mode, int umask, EntryReply reply) {
        executor.execute(() -> delegate.mkdir(r, parent, name, mode, umask, reply));
    }

    @Override
    public void unlink(Request r, long parent, String name, EmptyReply reply) {
        executor.execute(() -> delegate.unlink(r, parent, name, reply));
    }

    @Override
    public void rmdir(Request r, long parent, String name, EmptyReply reply) {
        executor.execute(() -> delegate.rmdir(r, parent, name, reply));
    }

    @Override
    public void rename(Request r, long parent, String name, long newParent, String newName, int flags,
            EmptyReply reply) {
        executor.execute(() -> delegate.rename(r, parent, name, newParent, newName, flags, reply));
    }

    @Override
    public void link(Request r, long nodeId, long newParent, String newName, EntryReply reply) {
        executor.execute(() -> delegate.link(r, nodeId, newParent, newName, reply));
    }

    @Override
    public void open(Request r, long nodeId, int flags, OpenReply reply) {
        executor.execute(() -> delegate.open(r, nodeId, flags, reply));
    }

    @Override
    public void read(Request r, long nodeId, long fh, long offset, int size, ReadReply reply) {
        executor.execute(() -> delegate.read(r, nodeId, fh, offset, size, reply));
    }

    @Override
    public void write(Request r, long nodeId, long fh, long offset, MemorySegment data, int flags, WriteReply reply) {
        executor.execute(() -> delegate.write(r, nodeId, fh, offset, data, flags, reply));
    }

    @Override
    public void statfs(Request r, long nodeId, StatfsReply reply) {
        executor.execute(() -> delegate.statfs(r, nodeId, reply));
    }

    @Override
    public void flush(Request r, long nodeId, long fh, EmptyReply reply) {
        executor.execute(() -> delegate.flush(r, nodeId, fh, reply));
    }

    @Override
    public void release(Request r, long nodeId, long fh, int flags, EmptyReply reply) {
        executor.execute(() -> delegate.release(r, nodeId, fh, flags, reply));
    }

    @Override
    public void fsync(Request r, long nodeId, long fh, boolean dataOnly, EmptyReply reply) {
        executor.execute(() -> delegate.fsync(r, nodeId, fh, dataOnly, reply));
    }

    @Override
    public void opendir(Request r, long nodeId, int flags, OpenReply reply) {
        executor.execute(() -> delegate.opendir(r, nodeId, flags, reply));
    }

    @Override
    public void readdir(Request r, long nodeId, long fh, long offset, DirectoryReply reply) {
        executor.execute(() -> delegate.readdir(r, nodeId, fh, offset, reply));
    }

    @Override
    public void readdirplus(Request r, long nodeId, long fh, long offset, DirectoryReply reply) {
        executor.execute(() -> delegate.readdirplus(r, nodeId, fh, offset, reply));
    }

    @Override
    public void releasedir(Request r, long nodeId, long fh, EmptyReply reply) {
        executor.execute(() -> delegate.releasedir(r, nodeId, fh, reply));
    }

    @Override
    public void fsyncdir(Request r, long nodeId, long fh, boolean dataOnly, EmptyReply reply) {
        executor.execute(() -> delegate.fsyncdir(r, nodeId, fh, dataOnly, reply));
    }

    @Override
    public void access(Request r, long nodeId, int mask, EmptyReply reply) {
        executor.execute(() -> delegate.access(r, nodeId, mask, reply));
    }

    @Override
    public void create(Request r, long parent, String name, int mode, int umask, int flags, CreateReply reply) {
        executor.execute(() -> delegate.create(r, parent, name, mode, umask, flags, reply));
    }

    @Override
    public void fallocate(Request r, long nodeId, long fh, long offset, long length, int mode, EmptyReply reply) {
        executor.execute(() -> delegate.fallocate(r, nodeId, fh, offset, length, mode, reply));
    }

    @Override
    public void lseek(Request r, long nodeId, long fh, long offset, int whence, LseekReply reply) {
        executor.execute(() -> delegate.lseek(r, nodeId, fh, offset, whence, reply));
    }

    @Override
    public void getxattr(Request r, long nodeId, String name, XattrReply reply) {
        executor.execute(() -> delegate.getxattr(r, nodeId, name, reply));
    }

    @Override
    public void setxattr(Request r, long nodeId, String name, MemorySegment value, int flags, EmptyReply reply) {
        executor.execute(() -> delegate.setxattr(r, nodeId, name, value, flags, reply));
    }

    @Override
    public void listxattr(Request r, long nodeId, XattrReply reply) {
        executor.execute(() -> delegate.listxattr(r, nodeId, reply));
    }

    @Override
    public void removexattr(Request r, long nodeId, String name, EmptyReply reply) {
        executor.execute(() -> delegate.removexattr(r, nodeId, name, reply));
    }
}
