package io.strata.compute.wire;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a frontend asks of a bucket (its leader serves it). Each request names the inode whose
 * bucket serves it ({@link #routingIno()}): a directory's entries live with the directory, a
 * file's attributes and extents with the file. Mutations carry the mount and a per-mount request
 * id so a request re-sent after a lost answer gets the first answer again.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = BucketRequest.Lookup.class, name = "lookup"),
    @JsonSubTypes.Type(value = BucketRequest.GetAttr.class, name = "getattr"),
    @JsonSubTypes.Type(value = BucketRequest.SetAttr.class, name = "setattr"),
    @JsonSubTypes.Type(value = BucketRequest.Create.class, name = "create"),
    @JsonSubTypes.Type(value = BucketRequest.Unlink.class, name = "unlink"),
    @JsonSubTypes.Type(value = BucketRequest.Rmdir.class, name = "rmdir"),
    @JsonSubTypes.Type(value = BucketRequest.Rename.class, name = "rename"),
    @JsonSubTypes.Type(value = BucketRequest.Link.class, name = "link"),
    @JsonSubTypes.Type(value = BucketRequest.Readdir.class, name = "readdir"),
    @JsonSubTypes.Type(value = BucketRequest.Readlink.class, name = "readlink"),
    @JsonSubTypes.Type(value = BucketRequest.Layout.class, name = "layout"),
    @JsonSubTypes.Type(value = BucketRequest.Open.class, name = "open"),
    @JsonSubTypes.Type(value = BucketRequest.Release.class, name = "release"),
    @JsonSubTypes.Type(value = BucketRequest.TxPhase.class, name = "tx-phase"),
})
public sealed interface BucketRequest {
    @JsonIgnore
    long routingIno();

    /** Caller identity from the kernel request (uid, gid), the filesystem, and the dedup key. */
    record Caller(int fsId, int uid, int gid, int mountId, long requestId) {
    }

    record Lookup(Caller caller, long parent, String name) implements BucketRequest {
        public long routingIno() {
            return parent;
        }
    }

    record GetAttr(Caller caller, long ino) implements BucketRequest {
        public long routingIno() {
            return ino;
        }
    }

    /** Changes whose bit is set in {@code valid} (FATTR_MODE, UID, GID, SIZE, ATIME, MTIME, ATIME_NOW, MTIME_NOW, CTIME). */
    record SetAttr(Caller caller, long ino, int valid, int mode, int uid, int gid, long size, long atimeNs, long mtimeNs,
            long ctimeNs) implements BucketRequest {
        public long routingIno() {
            return ino;
        }
    }

    /** {@code openHandle}: non-zero to open the created (or found) regular file under that handle in the same commit. */
    record Create(Caller caller, long parent, String name, String type, int mode, int rdev, String symlinkTarget,
            boolean exclusive, long openHandle) implements BucketRequest {
        public long routingIno() {
            return parent;
        }
    }

    record Unlink(Caller caller, long parent, String name) implements BucketRequest {
        public long routingIno() {
            return parent;
        }
    }

    record Rmdir(Caller caller, long parent, String name) implements BucketRequest {
        public long routingIno() {
            return parent;
        }
    }

    record Rename(Caller caller, long parent, String name, long newParent, String newName, int flags) implements BucketRequest {
        public long routingIno() {
            return parent;
        }
    }

    record Link(Caller caller, long ino, long newParent, String newName) implements BucketRequest {
        public long routingIno() {
            return newParent;
        }
    }

    record Readdir(Caller caller, long dir, long afterCookie, int max, boolean plus) implements BucketRequest {
        public long routingIno() {
            return dir;
        }
    }

    record Readlink(Caller caller, long ino) implements BucketRequest {
        public long routingIno() {
            return ino;
        }
    }

    record Layout(Caller caller, long ino, long offset, long length) implements BucketRequest {
        public long routingIno() {
            return ino;
        }
    }

    record Open(Caller caller, long ino, long handle) implements BucketRequest {
        public long routingIno() {
            return ino;
        }
    }

    record Release(Caller caller, long ino, long handle) implements BucketRequest {
        public long routingIno() {
            return ino;
        }
    }

    /** A participant holding a prepared transaction asks its coordinator bucket how it stands. */
    record TxPhase(Caller caller, long txId) implements BucketRequest {
        public long routingIno() {
            return txId;
        }
    }
}
