package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one request read into a buffer and hands it to the file system with a reply bound to
 * the same buffer and to the queue it came from. Stateless apart from its collaborators, so all
 * reader threads share one.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final FuseFilesystem fs;
    private final BufferPool pool;
    private final Runnable onDestroy;

    Dispatcher(FuseFilesystem fs, BufferPool pool, Runnable onDestroy) {
        this.fs = fs;
        this.pool = pool;
        this.onDestroy = onDestroy;
    }

    /** Dispatches the {@code length}-byte request in {@code buffer}; the buffer now belongs to the request. */
    void dispatch(RequestBuffer buffer, int length, ReplyChannel channel) {
        MemorySegment b = buffer.memory;
        if (length < Wire.IN_HEADER_SIZE || Wire.inLength(b) != length) {
            LOG.warn("dropping malformed request of {} bytes (header says {})", length,
                    length >= 4 ? Wire.inLength(b) : -1);
            pool.release(buffer);
            return;
        }
        int opcode = Wire.inOpcode(b);
        Request request = new Request(Wire.inUnique(b), opcode, Wire.inNodeId(b), Wire.inUid(b), Wire.inGid(b),
                Wire.inPid(b));
        int limit = length - Wire.inExtensionLength(b);
        switch (opcode) {
            case Wire.FORGET -> {
                fs.forget(request.nodeId(), Wire.u64(b, Wire.IN_HEADER_SIZE));
                pool.release(buffer);
                return;
            }
            case Wire.BATCH_FORGET -> {
                batchForget(b, limit);
                pool.release(buffer);
                return;
            }
            case Wire.INTERRUPT -> {
                interrupt(Wire.u64(b, Wire.IN_HEADER_SIZE));
                pool.release(buffer);
                return;
            }
            case Wire.NOTIFY_REPLY -> {
                pool.release(buffer);
                return;
            }
            default -> {
            }
        }
        buffer.request = request;
        try {
            handle(request, buffer, limit, channel);
        } catch (RuntimeException | Error e) {
            LOG.error("file system failed on {}", request, e);
            failIfOpen(request, buffer, channel);
        }
    }

    private void batchForget(MemorySegment b, int limit) {
        int count = Wire.u32(b, Wire.IN_HEADER_SIZE);
        long o = Wire.IN_HEADER_SIZE + Wire.BATCH_FORGET_IN_SIZE;
        for (int i = 0; i < count && o + Wire.FORGET_ONE_SIZE <= limit; i++, o += Wire.FORGET_ONE_SIZE) {
            fs.forget(Wire.u64(b, o), Wire.u64(b, o + 8));
        }
    }

    private void interrupt(long unique) {
        Request target = pool.findRequest(unique);
        if (target != null) {
            target.interrupt();
        }
    }

    /** After a handler threw: answer EIO unless the handler's reply was completed already. */
    private void failIfOpen(Request request, RequestBuffer buffer, ReplyChannel channel) {
        Reply made = buffer.reply;
        if (made != null && made.request() == request) {
            if (!made.isCompleted()) {
                try {
                    made.error(Errno.EIO);
                } catch (IllegalStateException completedMeanwhile) {
                    // the handler's own reply got there first
                }
            }
        } else if (buffer.request == request) {
            new EmptyReply(request, buffer, channel, pool).error(Errno.EIO);
        }
    }

    private void handle(Request r, RequestBuffer buffer, int limit, ReplyChannel ch) {
        MemorySegment b = buffer.memory;
        long node = r.nodeId();
        int arg = Wire.IN_HEADER_SIZE;
        switch (r.opcode()) {
            case Wire.LOOKUP -> fs.lookup(r, node, Wire.string(b, arg, limit), entry(r, buffer, ch));
            case Wire.GETATTR -> {
                boolean hasHandle = (Wire.u32(b, arg) & 1) != 0; // FUSE_GETATTR_FH
                fs.getattr(r, node, hasHandle ? Wire.u64(b, arg + 8) : -1, attr(r, buffer, ch));
            }
            case Wire.SETATTR -> fs.setattr(r, node, Wire.decodeSetattr(b), attr(r, buffer, ch));
            case Wire.READLINK -> fs.readlink(r, node, new ReadlinkReply(r, buffer, ch, pool));
            case Wire.SYMLINK -> {
                String name = Wire.string(b, arg, limit);
                String target = Wire.string(b, Wire.afterString(b, arg, limit), limit);
                fs.symlink(r, node, name, target, entry(r, buffer, ch));
            }
            case Wire.MKNOD -> fs.mknod(r, node, Wire.string(b, arg + Wire.MKNOD_IN_SIZE, limit), Wire.u32(b, arg),
                    Wire.u32(b, arg + 4), Wire.u32(b, arg + 8), entry(r, buffer, ch));
            case Wire.MKDIR -> fs.mkdir(r, node, Wire.string(b, arg + Wire.MKDIR_IN_SIZE, limit), Wire.u32(b, arg),
                    Wire.u32(b, arg + 4), entry(r, buffer, ch));
            case Wire.UNLINK -> fs.unlink(r, node, Wire.string(b, arg, limit), empty(r, buffer, ch));
            case Wire.RMDIR -> fs.rmdir(r, node, Wire.string(b, arg, limit), empty(r, buffer, ch));
            case Wire.RENAME -> rename(r, buffer, limit, ch, Wire.RENAME_IN_SIZE, 0);
            case Wire.RENAME2 -> rename(r, buffer, limit, ch, Wire.RENAME2_IN_SIZE, Wire.u32(b, arg + 8));
            case Wire.LINK -> fs.link(r, Wire.u64(b, arg), node, Wire.string(b, arg + Wire.LINK_IN_SIZE, limit),
                    entry(r, buffer, ch));
            case Wire.OPEN -> fs.open(r, node, Wire.u32(b, arg), new OpenReply(r, buffer, ch, pool));
            case Wire.READ -> {
                Wire.ReadIn in = Wire.decodeRead(b);
                fs.read(r, node, in.fileHandle(), in.offset(), in.size(),
                        new ReadReply(r, buffer, ch, pool, in.size()));
            }
            case Wire.WRITE -> write(r, buffer, limit, ch);
            case Wire.STATFS -> fs.statfs(r, node, new StatfsReply(r, buffer, ch, pool));
            case Wire.RELEASE -> {
                Wire.ReleaseIn in = Wire.decodeRelease(b);
                fs.release(r, node, in.fileHandle(), in.openFlags(), empty(r, buffer, ch));
            }
            case Wire.FSYNC -> fs.fsync(r, node, Wire.u64(b, arg), (Wire.u32(b, arg + 8) & 1) != 0,
                    empty(r, buffer, ch));
            case Wire.FLUSH -> fs.flush(r, node, Wire.u64(b, arg), empty(r, buffer, ch));
            case Wire.OPENDIR -> fs.opendir(r, node, Wire.u32(b, arg), new OpenReply(r, buffer, ch, pool));
            case Wire.READDIR, Wire.READDIRPLUS -> readdir(r, buffer, ch);
            case Wire.RELEASEDIR -> fs.releasedir(r, node, Wire.u64(b, arg), empty(r, buffer, ch));
            case Wire.FSYNCDIR -> fs.fsyncdir(r, node, Wire.u64(b, arg), (Wire.u32(b, arg + 8) & 1) != 0,
                    empty(r, buffer, ch));
            case Wire.ACCESS -> fs.access(r, node, Wire.u32(b, arg), empty(r, buffer, ch));
            case Wire.CREATE -> fs.create(r, node, Wire.string(b, arg + Wire.CREATE_IN_SIZE, limit),
                    Wire.u32(b, arg + 4), Wire.u32(b, arg + 8), Wire.u32(b, arg),
                    new CreateReply(r, buffer, ch, pool));
            case Wire.FALLOCATE -> {
                Wire.FallocateIn in = Wire.decodeFallocate(b);
                fs.fallocate(r, node, in.fileHandle(), in.offset(), in.length(), in.mode(), empty(r, buffer, ch));
            }
            case Wire.LSEEK -> {
                Wire.LseekIn in = Wire.decodeLseek(b);
                fs.lseek(r, node, in.fileHandle(), in.offset(), in.whence(), new LseekReply(r, buffer, ch, pool));
            }
            case Wire.GETXATTR -> fs.getxattr(r, node, Wire.string(b, arg + Wire.GETXATTR_IN_SIZE, limit),
                    new XattrReply(r, buffer, ch, pool, Wire.u32(b, arg)));
            case Wire.LISTXATTR -> fs.listxattr(r, node, new XattrReply(r, buffer, ch, pool, Wire.u32(b, arg)));
            case Wire.SETXATTR -> setxattr(r, buffer, limit, ch);
            case Wire.REMOVEXATTR -> fs.removexattr(r, node, Wire.string(b, arg, limit), empty(r, buffer, ch));
            case Wire.DESTROY -> {
                empty(r, buffer, ch).ok();
                onDestroy.run();
            }
            case Wire.INIT -> {
                LOG.warn("INIT on a running session ignored: {}", r);
                empty(r, buffer, ch).error(Errno.EPROTO);
            }
            default -> empty(r, buffer, ch).error(Errno.ENOSYS);
        }
    }

    private void rename(Request r, RequestBuffer buffer, int limit, ReplyChannel ch, int argSize, int flags) {
        MemorySegment b = buffer.memory;
        long newParent = Wire.u64(b, Wire.IN_HEADER_SIZE);
        long nameAt = Wire.IN_HEADER_SIZE + argSize;
        String name = Wire.string(b, nameAt, limit);
        String newName = Wire.string(b, Wire.afterString(b, nameAt, limit), limit);
        fs.rename(r, r.nodeId(), name, newParent, newName, flags, empty(r, buffer, ch));
    }

    private void write(Request r, RequestBuffer buffer, int limit, ReplyChannel ch) {
        MemorySegment b = buffer.memory;
        Wire.ReadIn in = Wire.decodeWrite(b);
        long dataAt = Wire.IN_HEADER_SIZE + Wire.WRITE_IN_SIZE;
        if (dataAt + in.size() > limit) {
            empty(r, buffer, ch).error(Errno.EINVAL);
            return;
        }
        MemorySegment data = b.asSlice(dataAt, in.size());
        fs.write(r, r.nodeId(), in.fileHandle(), in.offset(), data, in.openFlags(), new WriteReply(r, buffer, ch, pool));
    }

    private void readdir(Request r, RequestBuffer buffer, ReplyChannel ch) {
        Wire.ReadIn in = Wire.decodeRead(buffer.memory);
        boolean plus = r.opcode() == Wire.READDIRPLUS;
        DirectoryReply reply = new DirectoryReply(r, buffer, ch, pool, in.size(), plus);
        if (plus) {
            fs.readdirplus(r, r.nodeId(), in.fileHandle(), in.offset(), reply);
        } else {
            fs.readdir(r, r.nodeId(), in.fileHandle(), in.offset(), reply);
        }
    }

    private void setxattr(Request r, RequestBuffer buffer, int limit, ReplyChannel ch) {
        MemorySegment b = buffer.memory;
        int size = Wire.u32(b, Wire.IN_HEADER_SIZE);
        int flags = Wire.u32(b, Wire.IN_HEADER_SIZE + 4);
        long nameAt = Wire.IN_HEADER_SIZE + Wire.SETXATTR_IN_SIZE;
        String name = Wire.string(b, nameAt, limit);
        long valueAt = Wire.afterString(b, nameAt, limit);
        if (valueAt + size > limit) {
            empty(r, buffer, ch).error(Errno.EINVAL);
            return;
        }
        fs.setxattr(r, r.nodeId(), name, b.asSlice(valueAt, size), flags, empty(r, buffer, ch));
    }

    private EntryReply entry(Request r, RequestBuffer buffer, ReplyChannel ch) {
        return new EntryReply(r, buffer, ch, pool);
    }

    private AttrReply attr(Request r, RequestBuffer buffer, ReplyChannel ch) {
        return new AttrReply(r, buffer, ch, pool);
    }

    private EmptyReply empty(Request r, RequestBuffer buffer, ReplyChannel ch) {
        return new EmptyReply(r, buffer, ch, pool);
    }
}
