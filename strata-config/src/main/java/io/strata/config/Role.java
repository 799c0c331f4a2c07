package io.strata.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.strata.runtime.StrataException;
import java.util.Locale;

/** What a process in a container does. Only MANAGEMENT runs without a dedicated core. */
public enum Role {
    MANAGEMENT, DRIVE, COMPUTE, FRONTEND;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.wireName().equalsIgnoreCase(name) || (role.wireName() + "s").equalsIgnoreCase(name)) {
                return role;
            }
        }
        throw StrataException.invalid("unknown role '%s' (expected management, drive, compute or frontend)", name);
    }
}
