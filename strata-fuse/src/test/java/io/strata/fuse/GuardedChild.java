package io.strata.fuse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A process that serves a mount of {@link OneFile} with its FUSE connection guarded by a
 * {@link SessionKeeper} and then gets killed by the test ({@link SessionKeeperTest}): it never
 * answers reads, and says on stdout when one arrived. Arguments: mountpoint, keeper socket, and {@code unguarded} to serve without the keeper.
 */
public final class GuardedChild {
    private GuardedChild() {
    }

    public static void main(String[] args) throws Exception {
        Path mountpoint = Path.of(args[0]);
        Path socket = Path.of(args[1]);
        AtomicBoolean told = new AtomicBoolean();
        OneFile fs = new OneFile() {
            @Override
            public void read(Request request, long nodeId, long fileHandle, long offset, int size, ReadReply reply) {
                if (told.compareAndSet(false, true)) {
                    System.out.println("READ-ARRIVED");
                    System.out.flush();
                }
                // never answered: this process is about to die with the read in hand
            }
        };
        FuseMount mount = FuseMount.mount(mountpoint, MountOptions.defaults().withQueues(2), fs);
        if (args.length < 3 || !args[2].equals("unguarded")) {
            SessionGuard guard = new SessionGuard(socket, "frontend0").start();
            guard.guard(mount);
        }
        System.out.println("SERVING");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** A read-only directory with one file, {@code marker}, whose node ids are the same in every process. */
    static class OneFile implements FuseFilesystem {
        static final byte[] CONTENT = "answered by the next process\n".getBytes(StandardCharsets.UTF_8);
        static final long FILE = 2;

        static Attributes attributes(long nodeId) {
            boolean dir = nodeId == FuseProtocol.ROOT_ID;
            return new Attributes(nodeId, dir ? 0 : CONTENT.length, 1, 0, 0, 0, 0, 0, 0,
                    dir ? FuseProtocol.S_IFDIR | 0755 : FuseProtocol.S_IFREG | 0644, dir ? 2 : 1, 0, 0, 0, 4096);
        }

        @Override
        public void lookup(Request request, long parent, String name, EntryReply reply) {
            if (parent == FuseProtocol.ROOT_ID && name.equals("marker")) {
                reply.entry(new Entry(FILE, 1, attributes(FILE), 0, 0));
            } else {
                reply.error(Errno.ENOENT);
            }
        }

        @Override
        public void getattr(Request request, long nodeId, long fileHandleOrMinusOne, AttrReply reply) {
            reply.attributes(attributes(nodeId), 0);
        }

        @Override
        public void open(Request request, long nodeId, int openFlags, OpenReply reply) {
            reply.opened(7, FuseProtocol.FOPEN_DIRECT_IO);
        }

        @Override
        public void read(Request request, long nodeId, long fileHandle, long offset, int size, ReadReply reply) {
            int from = (int) Math.min(offset, CONTENT.length);
            reply.data(CONTENT, from, Math.min(size, CONTENT.length - from));
        }

        @Override
        public void release(Request request, long nodeId, long fileHandle, int openFlags, EmptyReply reply) {
            reply.ok();
        }
    }
}
