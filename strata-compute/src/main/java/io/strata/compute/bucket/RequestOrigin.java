package io.strata.compute.bucket;

/**
 * Who sent a mutating request: its mount and a request id unique within that mount. A re-sent
 * request with the same origin gets the first result back instead of being applied again.
 * {@link #NONE} (request id 0) opts out.
 */
public record RequestOrigin(int mountId, long requestId) {
    public static final RequestOrigin NONE = new RequestOrigin(0, 0);

    public RequestOrigin {
        if (mountId < 0 || mountId > 0xFFFF) {
            throw new IllegalArgumentException("mount id " + mountId + " does not fit in 16 bits");
        }
    }

    public boolean isNone() {
        return requestId == 0;
    }
}
