package io.strata.cli;

import io.strata.runtime.Release;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        Release release = Release.current();
        return new String[] {"strata " + release.version() + " (protocol " + release.protocol() + ")"};
    }
}
