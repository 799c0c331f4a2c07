package io.strata.compute.layout;

/**
 * A range of a file backed by part of a stripe: file bytes {@code [fileOffset, fileOffset + length)}
 * are stripe data bytes {@code [stripeOffset, stripeOffset + length)}. Stripe data is laid out
 * chunk after chunk: data byte {@code i} is in data chunk {@code i / chunkBytes} at
 * {@code i % chunkBytes}. Overwriting part of a file splits older views; a stripe's space is
 * freed when no view refers to it any more.
 */
public record ExtentView(long fileOffset, long length, long stripeOffset, Stripe stripe) {
    public long fileEnd() {
        return fileOffset + length;
    }
}
