package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A server of the cluster: where its host agent listens and which failure domain it is. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServerEntry(String hostname, String address, String failureDomain, int agentPort) {
}
