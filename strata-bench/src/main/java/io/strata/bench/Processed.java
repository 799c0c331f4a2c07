package io.strata.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A secondary JMH result of the throughput benchmarks, the row {@code :dataGB}: a benchmark adds
 * the bytes each operation processed (in units of 10^9), so that row's {@code ops/s} figure is
 * <b>GB/s per core</b>.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Processed {
    public double dataGB;

    @Setup(Level.Iteration)
    public void reset() {
        dataGB = 0;
    }
}
