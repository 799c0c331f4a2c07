package io.strata.control.auth;

import io.strata.config.cluster.PasswordHash;
import io.strata.protocol.auth.Hmac;
import io.strata.runtime.StrataException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Salted PBKDF2-HMAC-SHA256 password hashes. */
public final class Passwords {
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int ITERATIONS = 100_000;
    private static final int KEY_BITS = 256;
    public static final int MIN_LENGTH = 8;

    private Passwords() {
    }

    public static PasswordHash hash(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw StrataException.invalid("a password needs at least %d characters", MIN_LENGTH);
        }
        String salt = Hmac.newSecret(16);
        return new PasswordHash(ALGORITHM, ITERATIONS, salt, derive(password, salt, ITERATIONS));
    }

    public static boolean matches(String password, PasswordHash hash) {
        if (password == null || hash == null || !ALGORITHM.equals(hash.algorithm())) {
            return false;
        }
        String derived = derive(password, hash.salt(), hash.iterations());
        return MessageDigest.isEqual(derived.getBytes(), hash.hash().getBytes());
    }

    private static String derive(String password, String salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), Hmac.decodeSecret(salt), iterations, KEY_BITS);
            byte[] key = SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
            return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }
}
