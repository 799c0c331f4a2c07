package io.strata.control.service;

/** The methods a management process serves. */
public final class ManagementApi {
    public static final String INFO = "management.info";
    public static final String JOINED = "management.joined";
    public static final String VIEW = "cluster.view";
    public static final String CONTAINER_ACTIVATE = "cluster.container.activate";
    public static final String CONTAINER_DEACTIVATE = "cluster.container.deactivate";
    public static final String CONTAINER_REMOVE = "cluster.container.remove";
    public static final String CONTAINER_ADD = "cluster.container.add";
    public static final String LOGIN = "user.login";
    public static final String USER_ADD = "user.add";
    public static final String USER_PASSWORD = "user.password";
    public static final String USER_REMOVE = "user.remove";
    public static final String SUBMIT = "control.submit";
    public static final String WATCH = "control.watch";
    public static final String HEARTBEAT = "container.heartbeat";
    public static final String EXITED = "container.exited";
    public static final String STATUS = "container.status";
    public static final String DRAIN = "container.drain";
    public static final String DRIVE_ADD = "cluster.drive.add";
    public static final String DRIVE_FORMAT = "drive.format";
    public static final String FS_CREATE = "fs.create";
    public static final String FS_DELETE = "fs.delete";
    public static final String FS_RESIZE = "fs.resize";
    public static final String FS_MOUNT = "fs.mount";
    public static final String FS_UNMOUNT = "fs.unmount";
    public static final String FS_MOUNTS = "fs.mounts";
    public static final String UPGRADE_START = "upgrade.start";
    public static final String UPGRADE_STATUS = "upgrade.status";
    public static final String UPGRADE_PAUSE = "upgrade.pause";
    public static final String UPGRADE_RESUME = "upgrade.resume";
    public static final String UPGRADE_ABORT = "upgrade.abort";

    private ManagementApi() {
    }
}
