package io.strata.compute.bucket;

import java.nio.charset.StandardCharsets;

/** Reads what {@link BinaryOut} wrote; malformed input is an IllegalArgumentException. */
final class BinaryIn {
    private final byte[] bytes;
    private int position;

    BinaryIn(byte[] bytes) {
        this.bytes = bytes;
    }

    int readByte() {
        if (position >= bytes.length) {
            throw new IllegalArgumentException("input ends at byte " + position);
        }
        return bytes[position++] & 0xFF;
    }

    boolean readBoolean() {
        int value = readByte();
        if (value > 1) {
            throw new IllegalArgumentException("byte " + value + " at " + (position - 1) + " is not a boolean");
        }
        return value == 1;
    }

    long readUnsigned() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("variable-length integer at " + position + " is too long");
    }

    long readLong() {
        long raw = readUnsigned();
        return (raw >>> 1) ^ -(raw & 1);
    }

    int readInt() {
        long value = readLong();
        if (value != (int) value) {
            throw new IllegalArgumentException("value " + value + " at " + position + " does not fit an int");
        }
        return (int) value;
    }

    /** A count of items that follow, each taking at least one byte. */
    int readCount() {
        long count = readUnsigned();
        requireWithinInput(count, "count %s");
        return (int) count;
    }

    /**
     * Refuses a length or count that reaches past the input, compared unsigned: a varint of 2^63
     * or more is a negative long and must not pass as small.
     */
    private void requireWithinInput(long amount, String what) {
        if (Long.compareUnsigned(amount, bytes.length - position) > 0) {
            throw new IllegalArgumentException(String.format(what, Long.toUnsignedString(amount)) + " at " + position + " exceeds the input");
        }
    }

    String readString() {
        long lengthPlusOne = readUnsigned();
        if (lengthPlusOne == 0) {
            return null;
        }
        long length = lengthPlusOne - 1;
        requireWithinInput(length, "string of %s bytes");
        String value = new String(bytes, position, (int) length, StandardCharsets.UTF_8);
        position += (int) length;
        return value;
    }

    long readId() {
        long bucket = readUnsigned();
        long counter = readUnsigned();
        if (Long.compareUnsigned(bucket, Inodes.MAX_BUCKETS) >= 0 || Long.compareUnsigned(counter, Inodes.COUNTER_MASK) > 0) {
            throw new IllegalArgumentException("id " + bucket + ":" + counter + " at " + position + " is out of range");
        }
        return (bucket << Inodes.BUCKET_SHIFT) | counter;
    }

    boolean atEnd() {
        return position == bytes.length;
    }

    int position() {
        return position;
    }
}
