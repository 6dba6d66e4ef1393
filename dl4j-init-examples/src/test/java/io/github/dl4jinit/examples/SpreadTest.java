package io.github.dl4jinit.examples;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The statistics of compare-inits --seeds, on numbers worked out by hand. */
class SpreadTest {
    @Test
    void meanAndSampleStandardDeviation() {
        Spread s = Spread.of(1, 2, 3, 4, 5);
        assertThat(s.n()).isEqualTo(5);
        assertThat(s.mean()).isEqualTo(3.0);
        // squared deviations 4 + 1 + 0 + 1 + 4 = 10, divided by n - 1 = 4
        assertThat(s.std()).isCloseTo(Math.sqrt(2.5), within(1e-12));
        Spread t = Spread.of(List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0));
        assertThat(t.mean()).isEqualTo(5.0);
        assertThat(t.std()).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));   // not the population 2.0
    }

    @Test
    void spreadIsMeanPlusMinusTwoStandardDeviations() {
        Spread s = Spread.of(1, 2, 3, 4, 5);   // 3 ± 2·1.5811 = [-0.162, 6.162]
        assertThat(s.low()).isCloseTo(3 - 2 * Math.sqrt(2.5), within(1e-12));
        assertThat(s.high()).isCloseTo(3 + 2 * Math.sqrt(2.5), within(1e-12));
        assertThat(s.contains(6.1)).isEqualTo(Spread.Verdict.YES);
        assertThat(s.contains(-0.1)).isEqualTo(Spread.Verdict.YES);
        assertThat(s.contains(6.2)).isEqualTo(Spread.Verdict.NO);
        assertThat(s.contains(-0.2)).isEqualTo(Spread.Verdict.NO);
    }

    @Test
    void meansAgreeWithinTwoCombinedStandardErrors() {
        // each: variance 2.5, n 5, so SE² = 0.5 and the bound is 2·√(0.5 + 0.5) = 2
        Spread a = Spread.of(1, 2, 3, 4, 5);
        assertThat(a.agreementBound(Spread.of(2.99, 3.99, 4.99, 5.99, 6.99))).isCloseTo(2.0, within(1e-12));
        assertThat(a.agreesWith(Spread.of(2.99, 3.99, 4.99, 5.99, 6.99))).isEqualTo(Spread.Verdict.YES);   // |Δ| 1.99
        assertThat(a.agreesWith(Spread.of(3.01, 4.01, 5.01, 6.01, 7.01))).isEqualTo(Spread.Verdict.NO);    // |Δ| 2.01
        assertThat(Spread.of(3.01, 4.01, 5.01, 6.01, 7.01).agreesWith(a)).isEqualTo(Spread.Verdict.NO);    // symmetric
    }

    @Test
    void unequalRunCountsWeighEachStandardError() {
        Spread a = Spread.of(0, 2);          // mean 1, variance 2, n 2: SE² = 1
        Spread b = Spread.of(0, 0, 6, 6);    // mean 3, variance 12, n 4: SE² = 3
        assertThat(a.agreementBound(b)).isCloseTo(4.0, within(1e-12));
        assertThat(a.agreesWith(b)).isEqualTo(Spread.Verdict.YES);   // |Δ| 2 <= 4
    }

    @Test
    void identicalRunsAgreeOnlyOnTheSameValue() {
        assertThat(Spread.of(10, 10, 10).agreesWith(Spread.of(10, 10))).isEqualTo(Spread.Verdict.YES);
        assertThat(Spread.of(10, 10, 10).agreesWith(Spread.of(11, 11))).isEqualTo(Spread.Verdict.NO);
        assertThat(Spread.of(10, 10).contains(10)).isEqualTo(Spread.Verdict.YES);
        assertThat(Spread.of(10, 10).contains(10.05)).isEqualTo(Spread.Verdict.NO);
    }

    @Test
    void oneRunHasNoStandardDeviationSoNoVerdict() {
        Spread one = Spread.of(86.1);
        assertThat(one.hasStd()).isFalse();
        assertThat(one.std()).isNaN();
        assertThat(one.contains(86.1)).isEqualTo(Spread.Verdict.UNKNOWN);
        assertThat(one.agreesWith(Spread.of(86, 87))).isEqualTo(Spread.Verdict.UNKNOWN);
        assertThat(Spread.of(86, 87).agreesWith(one)).isEqualTo(Spread.Verdict.UNKNOWN);
        assertThat(Spread.Verdict.UNKNOWN.text()).isEqualTo("–");
    }

    @Test
    void noRunsIsAnError() {
        assertThatThrownBy(Spread::of).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values: none");
    }
}
