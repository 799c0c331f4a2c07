package io.strata.fuse;

import java.lang.foreign.MemorySegment;

/** Forwards every operation to a {@link MemoryFilesystem}; tests override the ones they want to change. */
class MemoryFilesystemDelegate implements FuseFilesystem {
    protected final MemoryFilesystem memory;

    MemoryFilesystemDelegate(MemoryFilesystem memory) {
        this.memory = memory;
    }

    @Override
    public void lookup(Request r, long parent, String name, EntryReply reply) {
        memory.lookup(r, parent, name, reply);
    }

    @Override
    public void forget(long nodeId, long lookups) {
        memory.forget(nodeId, lookups);
    }

    @Override
    public void getattr(Request r, long nodeId, long fh, AttrReply reply) {
        memory.getattr(r, nodeId, fh, reply);
    }

    @Override
    public void setattr(Request r, long nodeId, AttributeChanges changes, AttrReply reply) {
        memory.setattr(r, nodeId, changes, reply);
    }

    @Override
    public void mkdir(Request r, long parent, String name, int mode, int umask, EntryReply reply) {
        memory.mkdir(r, parent, name, mode, umask, reply);
    }

    @Override
    public void unlink(Request r, long parent, String name, EmptyReply reply) {
        memory.unlink(r, parent, name, reply);
    }

    @Override
    public void open(Request r, long nodeId, int flags, OpenReply reply) {
        memory.open(r, nodeId, flags, reply);
    }

    @Override
    public void read(Request r, long nodeId, long fh, long offset, int size, ReadReply reply) {
        memory.read(r, nodeId, fh, offset, size, reply);
    }

    @Override
    public void write(Request r, long nodeId, long fh, long offset, MemorySegment data, int flags, WriteReply reply) {
        memory.write(r, nodeId, fh, offset, data, flags, reply);
    }

    @Override
    public void flush(Request r, long nodeId, long fh, EmptyReply reply) {
        memory.flush(r, nodeId, fh, reply);
    }

    @Override
    public void release(Request r, long nodeId, long fh, int flags, EmptyReply reply) {
        memory.release(r, nodeId, fh, flags, reply);
    }

    @Override
    public void opendir(Request r, long nodeId, int flags, OpenReply reply) {
        memory.opendir(r, nodeId, flags, reply);
    }

    @Override
    public void readdir(Request r, long nodeId, long fh, long offset, DirectoryReply reply) {
        memory.readdir(r, nodeId, fh, offset, reply);
    }

    @Override
    public void readdirplus(Request r, long nodeId, long fh, long offset, DirectoryReply reply) {
        memory.readdirplus(r, nodeId, fh, offset, reply);
    }

    @Override
    public void create(Request r, long parent, String name, int mode, int umask, int flags, CreateReply reply) {
        memory.create(r, parent, name, mode, umask, flags, reply);
    }

    @Override
    public void statfs(Request r, long nodeId, StatfsReply reply) {
        memory.statfs(r, nodeId, reply);
    }
}
