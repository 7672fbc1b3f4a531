package dev.telemetryagent.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Normalising process output for comparisons across runs. */
public final class Outputs {

  private Outputs() {}

  /**
   * Drops the {@code pid=} line, replaces worker thread names ({@code worker-3}) with {@code worker-N} and sorts:
   * what two runs of the sample app with the same arguments must agree on. (Its console has no timestamps.)
   */
  public static List<String> normalizedSorted(List<String> lines) {
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      if (line.startsWith("pid=")) {
        continue;
      }
      out.add(line.replaceAll("\\[worker-\\d+]", "[worker-N]"));
    }
    Collections.sort(out);
    return out;
  }

  /** Lines in {@code a} but not in {@code b} (as multisets), with counts; at most {@code max} entries. */
  public static List<String> missingFrom(List<String> a, List<String> b, int max) {
    Map<String, Integer> counts = new TreeMap<>();
    a.forEach(l -> counts.merge(l, 1, Integer::sum));
    b.forEach(l -> counts.merge(l, -1, Integer::sum));
    List<String> out = new ArrayList<>();
    counts.forEach((l, n) -> {
      if (n > 0 && out.size() < max) {
        out.add(n + "x " + l);
      }
    });
    return out;
  }
}
