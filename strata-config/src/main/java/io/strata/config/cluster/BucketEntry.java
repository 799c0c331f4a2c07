package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A bucket: a share of every filesystem's namespace and metadata, replicated by a Raft group of
 * compute processes in distinct failure domains (their process ids). The group's leader serves it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BucketEntry(int id, List<Integer> members, long degradedStripes, int leader) {
    public BucketEntry {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** A bucket whose leader is not known yet (leaders report themselves). */
    public BucketEntry(int id, List<Integer> members, long degradedStripes) {
        this(id, members, degradedStripes, -1);
    }
}
