package org.jlip.data;

/** A train / validation pair produced by {@link Dataset#split}. */
public record Partition(Dataset train, Dataset validation) {}
