package io.strata.protocol.auth;

/**
 * Who is on the other end of a connection, once authenticated.
 *
 * <ul>
 *   <li>ANONYMOUS: anyone; may read status;
 *   <li>USER: a person logged in with {@code strata user login}; {@code role} admin or readonly;
 *   <li>MEMBER: a container or host agent of the cluster, proven with the join secret;
 *   <li>LOCAL: the host's administrator, proven with the host agent's local key (readable by root only).
 * </ul>
 */
public record Principal(Kind kind, String name, String role) {
    public enum Kind { ANONYMOUS, USER, MEMBER, LOCAL }

    public static final String ADMIN = "admin";
    public static final String READONLY = "readonly";

    public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "anonymous", null);

    public static Principal member(String name) {
        return new Principal(Kind.MEMBER, name, ADMIN);
    }

    public static Principal local(String name) {
        return new Principal(Kind.LOCAL, name, ADMIN);
    }

    public static Principal user(String name, String role) {
        return new Principal(Kind.USER, name, role);
    }

    public boolean mayChangeCluster() {
        return kind == Kind.MEMBER || kind == Kind.LOCAL || (kind == Kind.USER && ADMIN.equals(role));
    }

    public boolean isAuthenticated() {
        return kind != Kind.ANONYMOUS;
    }
}
