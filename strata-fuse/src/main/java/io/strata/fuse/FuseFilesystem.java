package io.strata.fuse;

import java.lang.foreign.MemorySegment;

/**
 * A file system served through FUSE, addressed by inode like libfuse's low-level API.
 *
 * <p>Every operation receives the {@link Request} (who asks, on which node) and a reply object
 * it must complete exactly once, with a value or an errno, from any thread and at any time: a
 * handler may return at once and complete the reply later (after a network round trip). Until it
 * does, the request holds one of the session's request buffers, so slow replies slow the intake
 * of new requests instead of piling them up in memory.
 *
 * <p>Handlers run on the session's reader threads, one per queue; they should not block for
 * long. A handler that throws has its reply completed with EIO.
 *
 * <p>Node ids: {@link FuseProtocol#ROOT_ID} is the root. Every {@link Entry} handed out (lookup,
 * create, mknod, mkdir, symlink, link, and readdirplus entries added with
 * {@link DirectoryReply#addPlus}) adds one to the kernel's lookup count of that node;
 * {@link #forget} gives counts back. A node must stay resolvable while its count is positive,
 * even after its last name is gone.
 *
 * <p>Permissions: with {@link MountOptions#defaultPermissions()} (the default) the kernel checks
 * mode bits, ownership and the sticky bit itself before sending a request, so a file system needs
 * no access checks of its own. {@link #access} is then never called.
 *
 * <p>Every method has a default that answers ENOSYS (for forget: nothing), which for most
 * operations makes the kernel stop sending that operation and fail or emulate it locally.
 */
public interface FuseFilesystem {

    /** Called once per session before any request, with what INIT settled (also on a resumed session). */
    default void init(SessionParameters parameters) {
    }

    /** Called once when the mount is gone (unmounted, or the connection ended); not on a handover. */
    default void destroy() {
    }

    default void lookup(Request request, long parent, String name, EntryReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** The kernel drops {@code lookups} references to {@code nodeId}. No reply. */
    default void forget(long nodeId, long lookups) {
    }

    default void getattr(Request request, long nodeId, long fileHandleOrMinusOne, AttrReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void setattr(Request request, long nodeId, AttributeChanges changes, AttrReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void readlink(Request request, long nodeId, ReadlinkReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void symlink(Request request, long parent, String name, String target, EntryReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** {@code mode} includes the file type; the kernel has applied the umask (umask given for reference). */
    default void mknod(Request request, long parent, String name, int mode, int rdev, int umask, EntryReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void mkdir(Request request, long parent, String name, int mode, int umask, EntryReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void unlink(Request request, long parent, String name, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void rmdir(Request request, long parent, String name, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** {@code flags}: 0, {@link FuseProtocol#RENAME_NOREPLACE} or {@link FuseProtocol#RENAME_EXCHANGE}. */
    default void rename(Request request, long parent, String name, long newParent, String newName, int flags,
            EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void link(Request request, long nodeId, long newParent, String newName, EntryReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** {@code openFlags} are open(2)'s; O_TRUNC arrives here (ATOMIC_O_TRUNC) and must be applied. */
    default void open(Request request, long nodeId, int openFlags, OpenReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void read(Request request, long nodeId, long fileHandle, long offset, int size, ReadReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /**
     * {@code data} is a slice of the request's buffer, readable (without a copy) until the reply is
     * completed and never after. {@code openFlags} are the file's open(2) flags, O_APPEND included.
     */
    default void write(Request request, long nodeId, long fileHandle, long offset, MemorySegment data,
            int openFlags, WriteReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void statfs(Request request, long nodeId, StatfsReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** Called on every close(2) of a descriptor; errors reach close's caller. */
    default void flush(Request request, long nodeId, long fileHandle, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** The last reference to the open file is gone. */
    default void release(Request request, long nodeId, long fileHandle, int openFlags, EmptyReply reply) {
        reply.ok();
    }

    default void fsync(Request request, long nodeId, long fileHandle, boolean dataOnly, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void opendir(Request request, long nodeId, int openFlags, OpenReply reply) {
        reply.opened(0, 0);
    }

    /** Entries after cookie {@code offset} (0: from the start); see {@link DirectoryReply}. */
    default void readdir(Request request, long nodeId, long fileHandle, long offset, DirectoryReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** As {@link #readdir}, with attributes; used when the mount negotiated readdirplus. */
    default void readdirplus(Request request, long nodeId, long fileHandle, long offset, DirectoryReply reply) {
        readdir(request, nodeId, fileHandle, offset, reply);
    }

    default void releasedir(Request request, long nodeId, long fileHandle, EmptyReply reply) {
        reply.ok();
    }

    default void fsyncdir(Request request, long nodeId, long fileHandle, boolean dataOnly, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void access(Request request, long nodeId, int mask, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** Creates and opens; {@code openFlags} include O_EXCL when the caller asked for it. */
    default void create(Request request, long parent, String name, int mode, int umask, int openFlags,
            CreateReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** Answer EOPNOTSUPP for modes not supported (the caller sees it; ENOSYS disables fallocate). */
    default void fallocate(Request request, long nodeId, long fileHandle, long offset, long length, int mode,
            EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    /** Only SEEK_DATA and SEEK_HOLE reach the file system; ENOSYS lets the kernel answer generically. */
    default void lseek(Request request, long nodeId, long fileHandle, long offset, int whence, LseekReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void getxattr(Request request, long nodeId, String name, XattrReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void setxattr(Request request, long nodeId, String name, MemorySegment value, int flags, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void listxattr(Request request, long nodeId, XattrReply reply) {
        reply.error(Errno.ENOSYS);
    }

    default void removexattr(Request request, long nodeId, String name, EmptyReply reply) {
        reply.error(Errno.ENOSYS);
    }
}
