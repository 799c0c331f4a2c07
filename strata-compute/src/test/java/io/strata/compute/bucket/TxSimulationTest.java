package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Many concurrent transactions under crashes, loss, duplication and reordering, from seeds. */
class TxSimulationTest {
    private static final int RUNS = 150;
    private static final int STEPS = 400;

    @Test
    void transactionsStayAtomicAndTheTreeConsistentUnderFaults() {
        long base = Seeds.next();
        int transactions = 0;
        int crashes = 0;
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        for (int run = 0; run < RUNS; run++) {
            long seed = base + run;
            TxSimulation simulation = new TxSimulation(seed, 1 + run % 5);
            try {
                simulation.run(STEPS);
                simulation.checkAtomicity();
                simulation.cluster.checkNamespace("seed " + seed);
            } catch (AssertionError | RuntimeException failure) {
                throw new AssertionError("simulation failed; replay with -Dstrata.seed=" + seed + " : " + failure.getMessage(), failure);
            }
            transactions += simulation.transactionsBegun;
            crashes += simulation.crashes;
            simulation.outcomes().forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
        }
        System.out.printf("%d simulated runs: %d transactions, %d leader crashes%n%s%n", RUNS, transactions, crashes, outcomes);
        assertThat(transactions).as("the runs exercise transactions").isGreaterThan(RUNS * 5);
    }
}
