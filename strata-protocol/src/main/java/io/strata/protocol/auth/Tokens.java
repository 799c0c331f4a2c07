package io.strata.protocol.auth;

import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Login tokens: {@code base64url(user:role:expiresAtMillis).hmac}. Any management process can
 * verify one with the cluster's token key, so a token works whichever process the CLI reaches.
 */
public final class Tokens {
    private Tokens() {
    }

    public static String issue(String tokenKey, String user, String role, long expiresAtMillis) {
        String body = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((user + ":" + role + ":" + expiresAtMillis).getBytes(StandardCharsets.UTF_8));
        return body + "." + Hmac.sha256Base64(tokenKey.getBytes(StandardCharsets.UTF_8), "token", body);
    }

    /** The principal a token names, or a NOT_LOGGED_IN error when it is forged, malformed or expired. */
    public static Principal verify(String tokenKey, String token, long nowMillis) {
        if (token == null || tokenKey == null) {
            throw notLoggedIn("no token");
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw notLoggedIn("malformed token");
        }
        String body = token.substring(0, dot);
        String mac = token.substring(dot + 1);
        String expected = Hmac.sha256Base64(tokenKey.getBytes(StandardCharsets.UTF_8), "token", body);
        if (!Hmac.equalsConstantTime(expected, mac)) {
            throw notLoggedIn("token not issued by this cluster");
        }
        String[] fields;
        try {
            fields = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).split(":");
        } catch (IllegalArgumentException e) {
            throw notLoggedIn("malformed token");
        }
        if (fields.length != 3) {
            throw notLoggedIn("malformed token");
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            throw notLoggedIn("malformed token");
        }
        if (nowMillis >= expiresAt) {
            throw notLoggedIn("token expired");
        }
        return Principal.user(fields[0], fields[1]);
    }

    public static StrataException notLoggedIn(String why) {
        return new StrataException(ErrorCode.NOT_LOGGED_IN, "not logged in (" + why + "): run 'strata user login'");
    }
}
