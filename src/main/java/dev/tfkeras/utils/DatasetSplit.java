package dev.tfkeras.utils;

import dev.tfkeras.data.Dataset;

/** The two parts {@link Utils#splitDataset} returns, e.g. training and validation examples. */
public record DatasetSplit(Dataset left, Dataset right) {}
