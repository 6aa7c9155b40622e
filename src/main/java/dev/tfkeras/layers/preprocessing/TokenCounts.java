package dev.tfkeras.layers.preprocessing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code adapt} learns from a stream of documents, as Keras's {@code IndexLookup} counts it:
 * how often each token occurs, in how many documents, and how many documents there were. The
 * vocabulary is the tokens by count, most frequent first, ties broken by the tokens themselves in
 * descending order (Keras's {@code np.lexsort((tokens, counts))[::-1]}).
 *
 * @param <K> the token type: {@code String} or {@code Long}
 */
final class TokenCounts<K> {

  private final Map<K, long[]> counts = new HashMap<>();
  private final boolean documents;
  private long documentCount;

  /** @param documents whether to count documents too (for {@code tf_idf}) */
  TokenCounts(boolean documents) {
    this.documents = documents;
  }

  /** Counts the tokens of one document. */
  void addDocument(List<K> tokens) {
    Set<K> seen = documents ? new HashSet<>() : null;
    for (K token : tokens) {
      long[] entry = counts.computeIfAbsent(token, k -> new long[2]);
      entry[0]++;
      if (seen != null && seen.add(token)) {
        entry[1]++;
      }
    }
    documentCount++;
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  /** Forgets a special token (the mask or OOV token), which never enters the learned vocabulary. */
  void remove(K token) {
    if (token != null) {
      counts.remove(token);
    }
  }

  /** The learned vocabulary, at most {@code limit} tokens (no limit when negative). */
  List<K> vocabulary(Comparator<K> tokenOrder, int limit) {
    List<K> tokens = new ArrayList<>(counts.keySet());
    Comparator<K> byCount = Comparator.comparingLong(token -> counts.get(token)[0]);
    tokens.sort(byCount.thenComparing(tokenOrder).reversed());
    return limit >= 0 && tokens.size() > limit ? new ArrayList<>(tokens.subList(0, limit)) : tokens;
  }

  /**
   * Keras's inverse document frequency of each token, {@code log(1 + documents / (1 +
   * documentsWithToken))}, in float32 as Keras casts it.
   */
  float[] inverseDocumentFrequency(List<K> tokens) {
    float[] idf = new float[tokens.size()];
    for (int i = 0; i < idf.length; i++) {
      long[] entry = counts.get(tokens.get(i));
      long withToken = entry == null ? 0 : entry[1];
      idf[i] = (float) Math.log(1 + (double) documentCount / (1 + withToken));
    }
    return idf;
  }
}
