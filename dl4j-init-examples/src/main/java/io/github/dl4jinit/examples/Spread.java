package io.github.dl4jinit.examples;

import java.util.Arrays;
import java.util.Collection;

/**
 * The distribution of one figure over repeated runs (seeds): count, mean and sample standard
 * deviation, with the two comparisons {@code compare-inits --seeds} reports.
 *
 * <p>The <em>spread</em> of a framework is {@code mean ± 2·std}; two means agree when
 * {@code |mean₁ − mean₂| ≤ 2·√(std₁²/n₁ + std₂²/n₂)} (two combined standard errors). Both need at least
 * two runs, since one run has no standard deviation.
 *
 * @param n    number of runs
 * @param mean arithmetic mean
 * @param std  sample standard deviation (divisor {@code n − 1}, as {@code statistics.stdev} and
 *             {@code torch.std}); NaN for fewer than two runs
 */
public record Spread(int n, double mean, double std) {
    /** How many standard deviations the spread reaches on each side of the mean. */
    public static final double SPREAD_STDS = 2;
    /** How many combined standard errors two means may differ by and still agree. */
    public static final double AGREEMENT_SES = 2;

    /** The count, mean and sample standard deviation of {@code values} (at least one). */
    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values: none, expected at least one run");
        }
        double mean = Arrays.stream(values).sum() / values.length;
        if (values.length == 1) {
            return new Spread(1, mean, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return new Spread(values.length, mean, Math.sqrt(ss / (values.length - 1)));
    }

    /** {@link #of(double...)} of a collection. */
    public static Spread of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Whether the standard deviation is known (two runs or more). */
    public boolean hasStd() {
        return n >= 2;
    }

    /** Lower end of the spread, {@code mean − 2·std}. */
    public double low() {
        return mean - SPREAD_STDS * std;
    }

    /** Upper end of the spread, {@code mean + 2·std}. */
    public double high() {
        return mean + SPREAD_STDS * std;
    }

    /** The squared standard error of the mean, {@code std²/n}. */
    private double squaredStandardError() {
        return std * std / n;
    }

    /** A yes/no answer that is unknown when a spread has fewer than two runs. */
    public enum Verdict {
        YES("yes"), NO("no"), UNKNOWN("–");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        static Verdict of(boolean b) {
            return b ? YES : NO;
        }

        /** "yes", "no" or "–" (unknown), as the tables print it. */
        public String text() {
            return text;
        }
    }

    /** Whether {@code value} lies in {@code [mean − 2·std, mean + 2·std]}; unknown with fewer than two runs. */
    public Verdict contains(double value) {
        return hasStd() ? Verdict.of(low() <= value && value <= high()) : Verdict.UNKNOWN;
    }

    /** Two combined standard errors, {@code 2·√(s₁²/n₁ + s₂²/n₂)}; NaN unless both have two runs or more. */
    public double agreementBound(Spread other) {
        if (!hasStd() || !other.hasStd()) {
            return Double.NaN;
        }
        return AGREEMENT_SES * Math.sqrt(squaredStandardError() + other.squaredStandardError());
    }

    /**
     * Whether the two means differ by at most two combined standard errors,
     * {@code |m₁ − m₂| ≤ 2·√(s₁²/n₁ + s₂²/n₂)}; unknown unless both have two runs or more.
     * Equal means agree even when both standard deviations are 0.
     */
    public Verdict agreesWith(Spread other) {
        double bound = agreementBound(other);
        return Double.isNaN(bound) ? Verdict.UNKNOWN : Verdict.of(Math.abs(mean - other.mean) <= bound);
    }
}
