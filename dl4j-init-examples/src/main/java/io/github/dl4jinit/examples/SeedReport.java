package io.github.dl4jinit.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * DL4J's and PyTorch's {@code compare-inits --seeds} runs side by side: per scheme and epoch the
 * mean and standard deviation of validation accuracy in each framework, beside the published figure,
 * with the verdicts (the means agree within two combined standard errors; the published figure lies
 * within a framework's spread, mean ± 2 std). Written as Markdown and as a PNG.
 */
final class SeedReport {
    /** One scheme at one epoch: each framework's spread (null where it has no runs). */
    record Result(Scheme scheme, int epoch, Spread dl4j, Spread pytorch) {
        /** {@code |mean_DL4J − mean_PyTorch|}; NaN unless both ran. */
        double difference() {
            return dl4j == null || pytorch == null ? Double.NaN : Math.abs(dl4j.mean() - pytorch.mean());
        }

        /** Two combined standard errors; NaN unless both ran at least twice. */
        double agreementBound() {
            return dl4j == null || pytorch == null ? Double.NaN : dl4j.agreementBound(pytorch);
        }

        /** Whether the two means agree within two combined standard errors. */
        Spread.Verdict meansAgree() {
            return dl4j == null || pytorch == null ? Spread.Verdict.UNKNOWN : dl4j.agreesWith(pytorch);
        }

        /** The published figure, when there is one and this is the epoch it was reported after. */
        OptionalDouble published() {
            return epoch == Scheme.PUBLISHED_EPOCHS ? scheme.published() : OptionalDouble.empty();
        }

        /** Whether the published figure lies within {@code spread}'s mean ± 2 std. */
        Spread.Verdict publishedWithin(Spread spread) {
            OptionalDouble p = published();
            return spread == null || p.isEmpty() ? Spread.Verdict.UNKNOWN : spread.contains(p.getAsDouble());
        }
    }

    private final Map<Scheme, Map<Integer, Result>> results;
    private final int lastEpoch;

    private SeedReport(Map<Scheme, Map<Integer, Result>> results, int lastEpoch) {
        this.results = results;
        this.lastEpoch = lastEpoch;
    }

    /** Groups runs of both frameworks by scheme and epoch (schemes in {@link Scheme}'s order). */
    static SeedReport of(List<RunsCsv.Row> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("runs: none, expected at least one finished run");
        }
        Map<Scheme, Map<Integer, Map<String, List<Double>>>> acc = new EnumMap<>(Scheme.class);
        for (RunsCsv.Row r : rows) {
            acc.computeIfAbsent(r.scheme(), s -> new TreeMap<>())
                    .computeIfAbsent(r.epoch(), e -> new TreeMap<>())
                    .computeIfAbsent(r.framework(), f -> new ArrayList<>())
                    .add(r.validationAccuracy());
        }
        Map<Scheme, Map<Integer, Result>> results = new EnumMap<>(Scheme.class);
        acc.forEach((scheme, byEpoch) -> byEpoch.forEach((epoch, byFramework) ->
                results.computeIfAbsent(scheme, s -> new TreeMap<>()).put(epoch, new Result(scheme, epoch,
                        spread(byFramework.get(RunsCsv.DL4J)), spread(byFramework.get(RunsCsv.PYTORCH))))));
        int last = rows.stream().mapToInt(RunsCsv.Row::epoch).max().orElseThrow();
        return new SeedReport(results, last);
    }

    private static Spread spread(List<Double> values) {
        return values == null ? null : Spread.of(values);
    }

    /** The last epoch any run reached: the one the verdicts and the plot are about. */
    int lastEpoch() {
        return lastEpoch;
    }

    /** Each scheme's result at {@code epoch} (schemes without runs that long left out). */
    List<Result> at(int epoch) {
        List<Result> out = new ArrayList<>();
        results.values().forEach(byEpoch -> {
            if (byEpoch.containsKey(epoch)) {
                out.add(byEpoch.get(epoch));
            }
        });
        return out;
    }

    /** The number of runs in every cell, when all cells have the same; empty otherwise. */
    private OptionalInt commonRuns() {
        List<Integer> ns = results.values().stream().flatMap(m -> m.values().stream())
                .flatMap(r -> Stream.of(r.dl4j(), r.pytorch())).filter(Objects::nonNull).map(Spread::n).distinct().toList();
        return ns.size() == 1 ? OptionalInt.of(ns.get(0)) : OptionalInt.empty();
    }

    /** "5 seeds" when every cell has the same number of runs, else a pointer to each cell's n. */
    private String seedsPhrase() {
        OptionalInt n = commonRuns();
        return n.isEmpty() ? "each scheme's runs (n in the table)" : n.getAsInt() + (n.getAsInt() == 1 ? " seed" : " seeds");
    }

    private String cell(Spread s) {
        if (s == null) {
            return "–";
        }
        String n = commonRuns().isPresent() ? "" : String.format(Locale.ROOT, " (n = %d)", s.n());
        return s.hasStd() ? String.format(Locale.ROOT, "%.3f ± %.3f%s", s.mean(), s.std(), n)
                : String.format(Locale.ROOT, "%.3f%s", s.mean(), n);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String verdict(Spread.Verdict v) {
        return v == Spread.Verdict.NO ? "**no**" : v.text();
    }

    /** The tables: verdicts at the last epoch, then every epoch's means and standard deviations. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Validation accuracy (%%) after epoch %d, mean ± standard deviation over %s."
                        + " Spread: mean ± 2 std. DL4J ≈ PyTorch: |Δ| = |mean_DL4J − mean_PyTorch| ≤ 2 SE ="
                        + " 2·√(std_DL4J²/n_DL4J + std_PyTorch²/n_PyTorch).%s%n%n",
                lastEpoch, seedsPhrase(), lastEpoch == Scheme.PUBLISHED_EPOCHS ? ""
                        : " The published figures are after epoch " + Scheme.PUBLISHED_EPOCHS + " and are not compared here."));
        sb.append("| scheme | DL4J | PyTorch | published | \\|Δ\\| | 2 SE | DL4J ≈ PyTorch | published within DL4J's spread"
                + " | published within PyTorch's spread |\n");
        sb.append("|---|---:|---:|---:|---:|---:|:---:|:---:|:---:|\n");
        for (Result r : at(lastEpoch)) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.scheme().label(),
                    cell(r.dl4j()), cell(r.pytorch()), number(r.published().orElse(Double.NaN)), number(r.difference()),
                    number(r.agreementBound()), verdict(r.meansAgree()), verdict(r.publishedWithin(r.dl4j())),
                    verdict(r.publishedWithin(r.pytorch()))));
        }
        if (lastEpoch > 1) {
            sb.append(String.format(Locale.ROOT, "%nAfter each epoch (mean ± std over %s):%n%n", seedsPhrase()));
            sb.append("| scheme | epoch | DL4J | PyTorch | DL4J ≈ PyTorch |\n|---|---:|---:|---:|:---:|\n");
            results.values().forEach(byEpoch -> byEpoch.values().forEach(r -> sb.append(String.format(Locale.ROOT,
                    "| %s | %d | %s | %s | %s |%n", r.scheme().label(), r.epoch(), cell(r.dl4j()), cell(r.pytorch()),
                    verdict(r.meansAgree())))));
        }
        return sb.toString();
    }

    /** One paragraph for the console: which schemes differ and where the published figure falls outside. */
    String verdicts() {
        List<Result> last = at(lastEpoch);
        String differ = last.stream().filter(r -> r.meansAgree() == Spread.Verdict.NO)
                .map(r -> String.format(Locale.ROOT, "%s (|Δ| %.3f > %.3f)", r.scheme().label(), r.difference(),
                        r.agreementBound()))
                .collect(Collectors.joining(", "));
        long compared = last.stream().filter(r -> r.meansAgree() != Spread.Verdict.UNKNOWN).count();
        StringBuilder sb = new StringBuilder();
        if (compared == 0) {
            sb.append("DL4J and PyTorch: no scheme has at least two runs in both, so no means are compared.\n");
        } else if (differ.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "DL4J and PyTorch: the means agree within two standard errors for all %d"
                    + " schemes both ran.%n", compared));
        } else {
            sb.append("DL4J and PyTorch: the means differ by more than two standard errors for ").append(differ).append(".\n");
        }
        String outside = last.stream().filter(r -> {
                    List<Spread.Verdict> v = List.of(r.publishedWithin(r.dl4j()), r.publishedWithin(r.pytorch()));
                    return v.contains(Spread.Verdict.NO) && !v.contains(Spread.Verdict.YES);
                })
                .map(r -> r.scheme().label()).collect(Collectors.joining(", "));
        if (!outside.isEmpty()) {
            sb.append("The published figure lies outside the spread (mean ± 2 std) of every framework that ran: ")
                    .append(outside).append(".\n");
        }
        return sb.toString();
    }

    /** The PNG: each scheme's mean ± 2 std after the last epoch in both frameworks, the published figure marked. */
    void plot(Path png) {
        Plots.seedSpreads(at(lastEpoch), lastEpoch, seedsPhrase(), png);
    }
}
