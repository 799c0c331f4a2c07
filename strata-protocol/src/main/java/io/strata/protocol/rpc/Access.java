package io.strata.protocol.rpc;

import io.strata.protocol.auth.Principal;

/** Who may call a method. */
public enum Access {
    /** Anyone, also without credentials: status and listings. */
    ANYONE,
    /** A logged-in user of any role, a member or the local administrator. */
    AUTHENTICATED,
    /** Whoever may change the cluster: an admin user, a member, the local administrator. */
    ADMIN,
    /** Containers and agents of the cluster only (proven with the join secret). */
    MEMBER,
    /** The host's administrator (local key) or a member acting for the cluster. */
    LOCAL;

    public boolean allows(Principal principal) {
        return switch (this) {
            case ANYONE -> true;
            case AUTHENTICATED -> principal.isAuthenticated();
            case ADMIN -> principal.mayChangeCluster();
            case MEMBER -> principal.kind() == Principal.Kind.MEMBER;
            case LOCAL -> principal.kind() == Principal.Kind.LOCAL || principal.kind() == Principal.Kind.MEMBER;
        };
    }
}
