package io.strata.container;

import io.strata.config.Role;
import io.strata.control.process.ProcessService;
import io.strata.protocol.Frame;
import io.strata.protocol.nio.Connection;

/** Which service each role's processes run. */
final class RoleServices {
    private RoleServices() {
    }

    static ProcessService create(Role role) {
        return switch (role) {
            case DRIVE -> io.strata.drive.process.DriveService.standard();
            case FRONTEND -> new io.strata.frontend.process.FrontendService();
            case COMPUTE -> new io.strata.compute.process.ComputeService();
            case MANAGEMENT -> throw new IllegalArgumentException("the management process is not a role process");
        };
    }

    /**
     * A role process with no data-plane work of its own yet: it answers PING (the transport
     * does) and refuses nothing else, so its liveness and pinning can be checked.
     */
    static final class IdleService implements ProcessService {
        private final Role role;

        IdleService(Role role) {
            this.role = role;
        }

        @Override
        public void onFrame(Connection connection, Frame frame) {
            // no data-plane frames are defined for this role yet
        }

        @Override
        public String describe() {
            return role.wireName() + " ready";
        }
    }
}
