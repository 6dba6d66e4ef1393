package io.github.dl4jinit.examples;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains every scheme once per seed and appends each finished run to the runs CSV. Seed-major order
 * (every scheme with the first seed, then every scheme with the next), so a sweep stopped early still
 * has the same number of runs for each scheme, give or take one.
 */
final class SeedSweep {
    private SeedSweep() {
    }

    /** Trains one scheme with one seed; {@code taskName} names scheme and seed for the progress bar. */
    @FunctionalInterface
    interface Trainer {
        Training.History train(Scheme scheme, long seed, String taskName);
    }

    /**
     * Runs {@code schemes} with seeds {@code firstSeed, firstSeed + 1, ..., firstSeed + seeds − 1}.
     *
     * @return every run's rows, in the order written to {@code csv}
     */
    static List<RunsCsv.Row> run(List<Scheme> schemes, long firstSeed, int seeds, Trainer trainer, RunsCsv.Writer csv)
            throws IOException {
        OptionChecks.positive("--seeds", seeds);
        List<RunsCsv.Row> all = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            long seed = firstSeed + i;
            for (Scheme s : schemes) {
                String task = String.format(Locale.ROOT, "%s seed %d (%d/%d)", s.cliName(), seed, i + 1, seeds);
                List<RunsCsv.Row> run = rows(RunsCsv.DL4J, s, seed, trainer.train(s, seed, task));
                csv.append(run);
                all.addAll(run);
            }
        }
        return all;
    }

    /** One row per epoch of a finished run that was evaluated at the end of each epoch only. */
    static List<RunsCsv.Row> rows(String framework, Scheme scheme, long seed, Training.History h) {
        if (h.accuracies.size() != h.epochSeconds.size()) {
            throw new IllegalStateException(h.accuracies.size() + " evaluations in " + h.epochSeconds.size()
                    + " epochs, expected one at the end of each epoch");
        }
        List<RunsCsv.Row> rows = new ArrayList<>();
        for (int e = 0; e < h.accuracies.size(); e++) {
            rows.add(new RunsCsv.Row(framework, scheme, seed, e + 1, h.accuracies.get(e), h.epochLosses.get(e),
                    h.epochSeconds.get(e)));
        }
        return rows;
    }
}
