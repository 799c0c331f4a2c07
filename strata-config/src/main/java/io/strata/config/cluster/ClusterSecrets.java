package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What must never be shown: the join secret containers and agents prove, the key that signs
 * login tokens, and the users' password hashes. Kept in the replicated state beside the
 * configuration, never in any reply, listing or log.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterSecrets(String joinSecret, String tokenKey, SortedMap<String, PasswordHash> passwords) {
    public ClusterSecrets {
        passwords = passwords == null ? new TreeMap<>() : new TreeMap<>(passwords);
    }

    public static ClusterSecrets empty() {
        return new ClusterSecrets(null, null, null);
    }

    public ClusterSecrets withPassword(String user, PasswordHash hash) {
        SortedMap<String, PasswordHash> next = new TreeMap<>(passwords);
        if (hash == null) {
            next.remove(user);
        } else {
            next.put(user, hash);
        }
        return new ClusterSecrets(joinSecret, tokenKey, next);
    }

    public Map<String, PasswordHash> passwordsView() {
        return java.util.Collections.unmodifiableMap(passwords);
    }

    @Override
    public String toString() {
        return "ClusterSecrets[<hidden>]";
    }
}
