package io.strata.compute.bucket;

/** The kinds of inode, with the S_IFMT bits the kernel expects in a mode. */
public enum FileType {
    FILE(0100000),
    DIR(0040000),
    SYMLINK(0120000),
    FIFO(0010000),
    CHAR(0020000),
    BLOCK(0060000),
    SOCKET(0140000);

    private final int formatBits;

    FileType(int formatBits) {
        this.formatBits = formatBits;
    }

    /** The S_IFMT bits of this type, to be or-ed with the 12 permission bits. */
    public int formatBits() {
        return formatBits;
    }

    static FileType fromCode(int code) {
        FileType[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("file type code " + code + " is unknown");
        }
        return all[code];
    }
}
