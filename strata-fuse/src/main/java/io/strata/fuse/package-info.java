/**
 * The Linux kernel's FUSE protocol spoken directly from Java through the FFM API: no libfuse, no
 * JNI. {@link io.strata.fuse.FuseMount} mounts with mount(2) and unmounts with umount2(2);
 * {@link io.strata.fuse.FuseSession} (whose opening comment describes threads, queues, buffer
 * ownership, asynchronous replies and handover) serves the connection; a file system implements
 * {@link io.strata.fuse.FuseFilesystem}, by inode, completing one reply object per request from
 * any thread. {@link io.strata.fuse.MemoryFilesystem} is a complete in-memory implementation, for
 * tests and as the no-storage backend of benchmarks.
 */
package io.strata.fuse;
