package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.DeleteFilesystem;
import io.strata.compute.bucket.BucketCommand.DropLingering;
import io.strata.compute.bucket.BucketCommand.Opened;
import io.strata.compute.bucket.BucketCommand.RegionsLeased;
import io.strata.compute.bucket.BucketCommand.Released;
import io.strata.compute.bucket.BucketCommand.ShardsRepaired;
import java.util.ArrayList;
import java.util.List;

/** Open handles, repairs, leases, capacity and filesystem deletion. */
final class HousekeepingCommands {
    private final BucketStore store;

    HousekeepingCommands(BucketStore store) {
        this.store = store;
    }

    /** Opens a live inode, or revives a lingering one: the open raced with the file's last unlink or rename. */
    CommandResult opened(Opened c) {
        store.inodeOrLingering(c.ino());
        store.revive(c.ino());
        store.open.open(c.ino(), c.handle());
        return CommandResult.DONE;
    }

    CommandResult dropLingering(DropLingering c) {
        store.dropLingering(c.upToNumber());
        return CommandResult.DONE;
    }

    /** Releasing a handle the bucket does not know (already released, or its inode gone) is not an error. */
    CommandResult released(Released c) {
        release(c.ino(), c.handle());
        return CommandResult.DONE;
    }

    CommandResult releaseAllOfMount(int mountId) {
        for (OpenFiles.Handle handle : store.open.ofMount(mountId)) {
            release(handle.ino(), handle.handle());
        }
        return CommandResult.DONE;
    }

    private void release(long ino, long handle) {
        if (store.open.release(ino, handle)) {
            Inode inode = store.inodes.get(ino);
            if (inode != null && !inode.isDirectory()) {
                store.retireIfUnused(inode);
            }
        }
    }

    CommandResult shardsRepaired(ShardsRepaired c) {
        if (!store.stripes.contains(c.extentId())) {
            throw FsException.of(Errno.ENOENT, "stripe %s is not in use any more", Inodes.format(c.extentId()));
        }
        store.stripes.repaired(c.extentId(), c.mask());
        return CommandResult.DONE;
    }

    CommandResult regionsLeased(RegionsLeased c) {
        store.space.checkLease(c.drive(), c.regionIndices(), c.regionBytes(), c.firstRegionAddress());
        store.space.lease(c.drive(), c.regionIndices(), c.regionBytes(), c.firstRegionAddress());
        return CommandResult.DONE;
    }

    CommandResult capacityGranted(int fsId, long bytes) {
        store.capacity.grant(fsId, bytes);
        return CommandResult.DONE;
    }

    CommandResult capacityReturned(int fsId, long bytes) {
        store.capacity.giveBack(fsId, bytes);
        return CommandResult.DONE;
    }

    /** Refused with EBUSY while a transaction holds a key of the filesystem. */
    CommandResult deleteFilesystem(DeleteFilesystem c) {
        for (long ino : store.locks.inodesInvolved()) {
            Inode inode = store.inodes.get(ino);
            if (inode != null && inode.fsId == c.fsId()) {
                throw FsException.of(Errno.EBUSY, "fs %d has inode %s in a transaction", c.fsId(), Inodes.format(ino));
            }
        }
        for (PreparedTx tx : store.prepared.values()) {
            for (Inode created : tx.createdInodes.values()) {
                if (created.fsId == c.fsId()) {
                    throw FsException.of(Errno.EBUSY, "fs %d has inode %s being created by transaction %s", c.fsId(),
                            Inodes.format(created.ino), Inodes.format(tx.txId));
                }
            }
        }
        List<Inode> doomed = new ArrayList<>();
        for (Inode inode : store.inodes.values()) {
            if (inode.fsId == c.fsId()) {
                doomed.add(inode);
            }
        }
        for (Inode inode : doomed) {
            store.destroy(inode);
        }
        store.capacity.forget(c.fsId());
        return CommandResult.DONE;
    }
}
