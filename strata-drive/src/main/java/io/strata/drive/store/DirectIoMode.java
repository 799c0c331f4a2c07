package io.strata.drive.store;

/** Whether the drive is driven with O_DIRECT, bypassing the page cache. */
public enum DirectIoMode {
    /** Direct IO where the file system allows it; otherwise buffered IO, with a log line saying so. */
    AUTO,
    /** Direct IO or refuse to open (a production drive). */
    REQUIRED,
    /** Buffered IO (tests of the buffered path; file systems that lie about O_DIRECT). */
    OFF
}
