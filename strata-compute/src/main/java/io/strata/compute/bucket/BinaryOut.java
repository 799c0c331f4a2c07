package io.strata.compute.bucket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer writing variable-length integers (zigzag LEB128) and length-prefixed strings. */
final class BinaryOut {
    private byte[] bytes;
    private int length;

    BinaryOut(int initialBytes) {
        bytes = new byte[Math.max(16, initialBytes)];
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }

    void writeByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    /** Any long; small magnitudes (either sign) take few bytes. */
    void writeLong(long value) {
        writeUnsigned((value << 1) ^ (value >> 63));
    }

    void writeInt(int value) {
        writeLong(value);
    }

    void writeUnsigned(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[length++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[length++] = (byte) value;
    }

    /** Null-safe: length + 1 first, 0 for null. */
    void writeString(String value) {
        if (value == null) {
            writeUnsigned(0);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeUnsigned(utf8.length + 1L);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, length, utf8.length);
        length += utf8.length;
    }

    /** An inode, extent or transaction id as bucket and counter (a few bytes instead of nine). */
    void writeId(long id) {
        writeUnsigned(id >>> Inodes.BUCKET_SHIFT);
        writeUnsigned(id & Inodes.COUNTER_MASK);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    int length() {
        return length;
    }
}
