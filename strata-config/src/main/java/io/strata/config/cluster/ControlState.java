package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Everything the control plane replicates: the configuration and, apart from it, the secrets. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ControlState(ClusterConfig config, ClusterSecrets secrets) {
    public static ControlState empty() {
        return new ControlState(ClusterConfig.empty(), ClusterSecrets.empty());
    }

    public ControlState with(ClusterConfig newConfig) {
        return new ControlState(newConfig, secrets);
    }
}
