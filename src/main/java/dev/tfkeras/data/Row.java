package dev.tfkeras.data;

/** Where one example lives: element {@code index} of {@code slices}. */
record Row(Slices slices, int index) {}
