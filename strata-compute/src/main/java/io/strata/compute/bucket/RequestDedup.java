package io.strata.compute.bucket;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results of the last {@link #CAPACITY} successful requests that carried an origin, first in
 * first out. Refusals are not kept: a retried request that failed (EBUSY above all) runs again.
 */
final class RequestDedup {
    static final int CAPACITY = 4096;

    private final LinkedHashMap<RequestOrigin, CommandResult> results = new LinkedHashMap<>();

    CommandResult find(RequestOrigin origin) {
        return origin.isNone() ? null : results.get(origin);
    }

    void remember(RequestOrigin origin, CommandResult result) {
        if (origin.isNone()) {
            return;
        }
        results.remove(origin);
        results.put(origin, result);
        if (results.size() > CAPACITY) {
            Iterator<RequestOrigin> oldest = results.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    Map<RequestOrigin, CommandResult> all() {
        return results;
    }
}
