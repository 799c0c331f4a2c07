package io.strata.config.agent;

/**
 * The methods a host agent serves, named once so the agent, the control plane and the CLI agree.
 * Local verbs need the host's local key (or a cluster member's credentials); {@link #INFO} and,
 * until the server has joined a cluster, {@link #JOIN} answer anyone.
 */
public final class AgentApi {
    public static final String INFO = "agent.info";
    public static final String JOIN = "agent.join";
    public static final String SHUTDOWN = "agent.shutdown";
    public static final String SETUP = "local.setup";
    public static final String PS = "local.ps";
    public static final String START = "local.start";
    public static final String STOP = "local.stop";
    public static final String RESTART = "local.restart";
    public static final String REMOVE = "local.rm";
    public static final String STATUS = "local.status";
    public static final String RESOURCES = "local.resources";
    public static final String RESOURCES_EDIT = "local.resources.edit";
    public static final String RESOURCES_APPLY = "local.resources.apply";
    public static final String VERSION_INSTALL = "version.install";
    public static final String VERSION_LIST = "version.list";
    public static final String VERSION_SET = "version.set";
    public static final String VERSION_REMOVE = "version.remove";
    public static final String ROLLBACK = "local.rollback";

    private AgentApi() {
    }
}
