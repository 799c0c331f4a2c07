package io.strata.compute.bucket;

import java.nio.charset.StandardCharsets;

/** The rules a directory entry's name must follow. */
final class Names {
    static final int MAX_NAME_BYTES = 255;
    static final int MAX_SYMLINK_BYTES = 4095;

    private Names() {
    }

    static void check(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw FsException.of(Errno.EINVAL, "name '%s' is not a valid entry name", name);
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw FsException.of(Errno.EINVAL, "name '%s' contains '/' or NUL", name.replace('\0', '?'));
        }
        if (name.length() > MAX_NAME_BYTES / 3 && utf8Length(name) > MAX_NAME_BYTES) {
            throw FsException.of(Errno.ENAMETOOLONG, "name of %d bytes is longer than %d", utf8Length(name), MAX_NAME_BYTES);
        }
    }

    static void checkSymlinkTarget(String target) {
        if (target == null || target.isEmpty() || target.indexOf('\0') >= 0) {
            throw FsException.of(Errno.EINVAL, "symlink target '%s' is empty or contains NUL", target);
        }
        if (utf8Length(target) > MAX_SYMLINK_BYTES) {
            throw FsException.of(Errno.ENAMETOOLONG, "symlink target of %d bytes is longer than %d",
                    utf8Length(target), MAX_SYMLINK_BYTES);
        }
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
