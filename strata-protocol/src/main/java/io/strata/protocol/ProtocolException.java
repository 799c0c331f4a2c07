package io.strata.protocol;

import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;

/** The peer broke the protocol: a malformed frame, a frame out of place, an unknown version. */
public final class ProtocolException extends StrataException {
    public ProtocolException(String message) {
        super(ErrorCode.PROTOCOL, message);
    }
}
