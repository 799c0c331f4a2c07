package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A management process that keeps the configuration: where it answers and where its Raft peer listens. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemberEndpoint(int containerId, String hostname, String address, int port, int raftPort) {
}
