package io.strata.compute.bucket;

import java.util.List;

/** What applying a {@link BucketCommand} returned (refusals are {@link FsException}s instead). */
public sealed interface CommandResult {
    CommandResult DONE = new Done();

    record Done() implements CommandResult {
    }

    /** The inode's attributes after the command (create, setattr, link, commit extent). */
    record AttrResult(Attributes attributes) implements CommandResult {
    }

    /** A participant prepared a round: one answer per op, in order. */
    record TxPrepared(List<TxAnswer> answers) implements CommandResult {
        public TxPrepared {
            answers = List.copyOf(answers);
        }
    }

    /** A participant refused a round and dropped everything it held for the transaction. */
    record TxRefused(int errno) implements CommandResult {
    }

    /** The coordinator runs transaction {@code txId} for the request (begun now or before). */
    record TxStarted(long txId) implements CommandResult {
    }
}
