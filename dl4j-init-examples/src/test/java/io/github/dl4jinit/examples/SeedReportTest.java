package io.github.dl4jinit.examples;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The compare-inits --seeds table and verdicts, on runs with numbers worked out by hand. */
class SeedReportTest {
    private static void add(List<RunsCsv.Row> rows, String framework, Scheme s, int epoch, double... accuracies) {
        for (int i = 0; i < accuracies.length; i++) {
            rows.add(new RunsCsv.Row(framework, s, 42 + i, epoch, accuracies[i], 1.0, 1.0));
        }
    }

    private static List<RunsCsv.Row> runs() {
        List<RunsCsv.Row> rows = new ArrayList<>();
        add(rows, RunsCsv.DL4J, Scheme.ZEROS, 1, 10, 10, 10);
        add(rows, RunsCsv.DL4J, Scheme.ZEROS, 2, 10, 10, 10);
        add(rows, RunsCsv.PYTORCH, Scheme.ZEROS, 1, 10, 10, 10);
        add(rows, RunsCsv.PYTORCH, Scheme.ZEROS, 2, 10, 10, 10);
        add(rows, RunsCsv.DL4J, Scheme.UNIFORM, 1, 20, 30, 25);
        add(rows, RunsCsv.DL4J, Scheme.UNIFORM, 2, 40, 50, 45);      // 45 ± 5, spread [35, 55]
        add(rows, RunsCsv.PYTORCH, Scheme.UNIFORM, 1, 20, 30, 25);
        add(rows, RunsCsv.PYTORCH, Scheme.UNIFORM, 2, 30, 32, 34);   // 32 ± 2, spread [28, 36]
        add(rows, RunsCsv.DL4J, Scheme.KAIMING, 1, 85, 85.2, 85.1);
        add(rows, RunsCsv.DL4J, Scheme.KAIMING, 2, 86, 86.2, 86.1);
        return rows;
    }

    @Test
    void tableGivesMeansStdsAndVerdictsAfterTheLastEpoch() {
        SeedReport report = SeedReport.of(runs());
        assertThat(report.lastEpoch()).isEqualTo(2);
        String md = report.markdown();
        assertThat(md).contains("after epoch 2, mean ± standard deviation over 3 seeds")
                .contains("| scheme | DL4J | PyTorch | published | \\|Δ\\| | 2 SE | DL4J ≈ PyTorch |");
        // identical runs: the means agree, but a spread of 0 holds nothing else, not even 9.625
        assertThat(md).contains("| all zeros | 10.000 ± 0.000 | 10.000 ± 0.000 | 9.625 | 0.000 | 0.000 | yes | **no** | **no** |");
        // |45 - 32| = 13 > 2·√(25/3 + 4/3) = 6.218; 36.667 inside [35, 55], outside [28, 36]
        assertThat(md).contains("| uniform [0, 1) | 45.000 ± 5.000 | 32.000 ± 2.000 | 36.667 | 13.000 | 6.218 | **no** | yes | **no** |");
        // only DL4J ran it, and nothing was published for it
        assertThat(md).contains("| Kaiming normal (fan_in, relu) | 86.100 ± 0.100 | – | – | – | – | – | – | – |");
        // the epoch table: after epoch 1 the uniform runs were identical in both
        assertThat(md).contains("| uniform [0, 1) | 1 | 25.000 ± 5.000 | 25.000 ± 5.000 | yes |")
                .contains("| uniform [0, 1) | 2 | 45.000 ± 5.000 | 32.000 ± 2.000 | **no** |");
    }

    @Test
    void verdictsNameTheSchemesThatDiffer() {
        String v = SeedReport.of(runs()).verdicts();
        assertThat(v).contains("the means differ by more than two standard errors for uniform [0, 1) (|Δ| 13.000 > 6.218).")
                .contains("The published figure lies outside the spread (mean ± 2 std) of every framework that ran: all zeros.");
    }

    @Test
    void agreeingMeansAreSaidToAgree() {
        List<RunsCsv.Row> rows = new ArrayList<>();
        add(rows, RunsCsv.DL4J, Scheme.NORMAL, 2, 86.0, 86.2, 86.4);
        add(rows, RunsCsv.PYTORCH, Scheme.NORMAL, 2, 86.1, 86.3, 86.5);
        assertThat(SeedReport.of(rows).verdicts())
                .startsWith("DL4J and PyTorch: the means agree within two standard errors for all 1 schemes both ran.");
    }

    @Test
    void thePublishedFigureIsComparedOnlyAfterItsOwnEpochCount() {
        List<RunsCsv.Row> rows = runs();
        add(rows, RunsCsv.DL4J, Scheme.UNIFORM, 3, 50, 52, 54);
        String md = SeedReport.of(rows).markdown();
        assertThat(md).contains("after epoch 3").contains("The published figures are after epoch 2 and are not compared here.")
                .contains("| uniform [0, 1) | 52.000 ± 2.000 | – | – | – | – | – | – | – |");
    }

    @Test
    void unequalRunCountsAreShownPerCell() {
        List<RunsCsv.Row> rows = new ArrayList<>();
        add(rows, RunsCsv.DL4J, Scheme.XAVIER, 2, 86.0, 86.2, 86.4);
        add(rows, RunsCsv.PYTORCH, Scheme.XAVIER, 2, 86.1, 86.3);
        String md = SeedReport.of(rows).markdown();
        assertThat(md).contains("over each scheme's runs (n in the table)")
                .contains("| Xavier uniform | 86.200 ± 0.200 (n = 3) | 86.200 ± 0.141 (n = 2) |");
    }
}
