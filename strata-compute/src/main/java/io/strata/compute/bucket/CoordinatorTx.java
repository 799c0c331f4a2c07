package io.strata.compute.bucket;

import java.util.List;

/**
 * A transaction this bucket coordinates and has not finished. Once decided, {@code errno} (0 on
 * commit, and on an abort that is a successful no-op such as renaming a name onto another link of
 * the same file) and {@code result} (the attributes a mkdir or link answers) are what the client
 * gets, and {@code participants} are the buckets that must hear the decision.
 */
public record CoordinatorTx(
        long txId,
        NamespaceOp op,
        RequestOrigin origin,
        long beganNs,
        TxPhase phase,
        int errno,
        Attributes result,
        List<Integer> participants) {

    public CoordinatorTx {
        participants = List.copyOf(participants);
    }

    CoordinatorTx decided(boolean commit, int decidedErrno, Attributes decidedResult, List<Integer> decidedParticipants) {
        return new CoordinatorTx(txId, op, origin, beganNs, commit ? TxPhase.COMMITTING : TxPhase.ABORTING,
                decidedErrno, decidedResult, decidedParticipants);
    }
}
