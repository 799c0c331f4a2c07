package io.strata.resources;

import io.strata.config.server.ContainerRules;
import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;

/**
 * How many cores each role gets, and how many drive processes run on the drive cores.
 *
 * <p>Defaults: the frontend 1 core, drives one core per drive (one drive process per drive),
 * compute the rest. When the rest would be empty, drive processes share cores, up to
 * {@value ContainerRules#MAX_DRIVE_PROCESSES_PER_CORE} per core, just enough that compute keeps
 * one core; drive cores never drop below {@code ceil(drives / 4)}. A role given 0 cores gets no
 * container. Roles that named their CPUs have exactly those; the others share the pool.
 */
record RoleCounts(int driveCores, int driveProcesses, int computeCores, int frontendCores) {
    private static final int SHARE = ContainerRules.MAX_DRIVE_PROCESSES_PER_CORE;

    int cores(Role role) {
        return switch (role) {
            case DRIVE -> driveCores;
            case COMPUTE -> computeCores;
            case FRONTEND -> frontendCores;
            case MANAGEMENT -> 0;
        };
    }

    int processes(Role role) {
        return role == Role.DRIVE ? driveProcesses : cores(role);
    }

    int roleProcesses() {
        return driveProcesses + computeCores + frontendCores;
    }

    /**
     * @param poolSize CPUs available to the roles that named none (in the single layout: the
     *     container's cores that are not named)
     * @param drives the drives selected
     * @param drivesNamed whether the drives were named on the command line
     */
    static RoleCounts solve(GeneratorOptions options, CorePool pool, int poolSize, int drives, boolean drivesNamed) {
        Integer askedDrive = options.coresOf(Role.DRIVE);
        int frontend = options.coresOf(Role.FRONTEND) == null ? GeneratorOptions.DEFAULT_FRONTEND_CORES : options.coresOf(Role.FRONTEND);
        int drive = askedDrive == null ? drives : checkDriveCores(askedDrive, drives, drivesNamed);
        Integer computeAsked = options.coresOf(Role.COMPUTE);
        boolean driveFromPool = !pool.explicit().containsKey(Role.DRIVE);
        boolean computeFromPool = !pool.explicit().containsKey(Role.COMPUTE);
        int frontendFromPool = pool.explicit().containsKey(Role.FRONTEND) ? 0 : frontend;
        int computeFixed = computeAsked == null || !computeFromPool ? 0 : computeAsked;
        if (askedDrive == null && driveFromPool && drive > 0) {
            int minCompute = computeAsked == null ? 1 : computeFixed;
            int room = poolSize - frontendFromPool - minCompute;
            drive = Math.max(ceilDiv(drives, SHARE), Math.min(drives, room));
        }
        int driveFromPoolCount = driveFromPool ? drive : 0;
        int asked = driveFromPoolCount + frontendFromPool + computeFixed;
        if (asked > poolSize) {
            boolean driveShrunk = askedDrive == null && drive < drives;
            throw StrataException.invalid("more cores asked than the server has: %s = %d, but %d are free; %s",
                    describe(driveFromPoolCount, driveShrunk ? drives : 0, computeFixed, frontendFromPool, computeAsked != null), asked, poolSize,
                    pool.capacity());
        }
        int compute;
        if (computeAsked != null) {
            compute = computeAsked;
        } else {
            compute = poolSize - driveFromPoolCount - frontendFromPool;
            if (compute < 1) {
                throw StrataException.invalid("no core left for compute: %s; the frontend takes %d, drives take %d (%s)",
                        pool.capacity(), frontendFromPool, driveFromPoolCount,
                        drives == 0 ? "no drive" : drives + " drives, at most " + SHARE + " per core");
            }
        }
        int driveProcesses = drive == 0 ? 0 : drives;
        if (drive + compute + frontend == 0) {
            throw StrataException.invalid("nothing to generate: drives, compute and frontend all have 0 cores");
        }
        return new RoleCounts(drive, driveProcesses, compute, frontend);
    }

    /** In the single layout all role processes live in one container. */
    RoleCounts checkSingle() {
        if (roleProcesses() > ProcessIds.MAX_ROLE_PROCESSES) {
            throw StrataException.invalid("the single container would hold %d role processes (%d drive, %d compute, %d frontend); at most %d fit: name fewer drives or use the multiple-containers layout",
                    roleProcesses(), driveProcesses, computeCores, frontendCores, ProcessIds.MAX_ROLE_PROCESSES);
        }
        return this;
    }

    private static int checkDriveCores(int asked, int drives, boolean drivesNamed) {
        if (asked == 0) {
            if (drivesNamed && drives > 0) {
                throw StrataException.invalid("--drives names %d drives but --drive-dedicated-cores is 0", drives);
            }
            return 0;
        }
        if (drives == 0) {
            throw StrataException.invalid("--drive-dedicated-cores %d but there is no drive to run: no free NVMe drive was found (name drives with --drives)", asked);
        }
        if (asked > drives) {
            throw StrataException.invalid("--drive-dedicated-cores %d is more than the %d drives: each drive core runs at least one drive process, one per drive",
                    asked, drives);
        }
        if (ceilDiv(drives, asked) > SHARE) {
            throw StrataException.invalid("%d drives need at least %d drive cores (at most %d drive processes share a core), but --drive-dedicated-cores is %d",
                    drives, ceilDiv(drives, SHARE), SHARE, asked);
        }
        return asked;
    }

    /** {@code 3 drive + 4 compute + 1 frontend}; {@code sharedDrives} > 0 when drive cores are already the fewest for them. */
    private static String describe(int drive, int sharedDrives, int compute, int frontend, boolean computeAsked) {
        List<String> parts = new ArrayList<>();
        parts.add(sharedDrives > 0 ? String.format("at least %d drive (%d drives, at most %d per core)", drive, sharedDrives, SHARE)
                : drive + " drive");
        if (computeAsked) {
            parts.add(compute + " compute");
        }
        parts.add(frontend + " frontend");
        return String.join(" + ", parts);
    }

    static int ceilDiv(int a, int b) {
        return Math.ceilDiv(a, b);
    }
}
