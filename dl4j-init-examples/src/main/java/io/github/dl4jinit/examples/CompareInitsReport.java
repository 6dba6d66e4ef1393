package io.github.dl4jinit.examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code compare-inits-report}: the {@code compare-inits --seeds} table and plot from finished runs
 * CSVs (DL4J's, the PyTorch twin's, or a sweep that was stopped early), without training.
 */
@Command(name = "compare-inits-report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads runs CSVs of compare-inits --seeds N (compare-inits-runs.csv) and of the PyTorch twin"
                + " (python/compare_inits_torch.py --seeds N --csv FILE) and writes compare-inits-seeds.md (mean and"
                + " standard deviation of validation accuracy per scheme and epoch for both frameworks, the published"
                + " figures, and the verdicts) and compare-inits-seeds.png to --out, without training."})
public final class CompareInitsReport implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CSV", description = "Runs CSVs (header " + RunsCsv.HEADER + ").")
    List<Path> csvs;

    @Option(names = "--out", defaultValue = "dl4j-init-output", paramLabel = "DIR",
            description = "Output folder, created if needed (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        OptionChecks.outputFolder("--out", out);
        List<RunsCsv.Row> rows = new ArrayList<>();
        for (Path csv : csvs) {
            rows.addAll(RunsCsv.read(csv));
        }
        checkNoRunTwice(rows);
        String sources = "Runs: " + csvs.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", "))
                + System.lineSeparator() + System.lineSeparator();
        return write(SeedReport.of(rows), sources, out, System.out);
    }

    /** Two files that hold the same run (framework, scheme, seed, epoch) would count it twice. */
    private void checkNoRunTwice(List<RunsCsv.Row> rows) {
        Set<String> seen = new HashSet<>();
        for (RunsCsv.Row r : rows) {
            if (!seen.add(r.framework() + "," + r.scheme() + "," + r.seed() + "," + r.epoch())) {
                throw new IllegalArgumentException("CSV: " + r.framework() + " " + r.scheme().cliName() + " seed " + r.seed()
                        + " epoch " + r.epoch() + " appears in more than one of " + csvs + ", expected each run once");
            }
        }
    }

    /** Prints the tables and verdicts and writes compare-inits-seeds.md and .png to {@code out}. */
    static int write(SeedReport report, String header, Path out, PrintStream stdout, Path... alsoWritten) throws IOException {
        String md = header + report.markdown();
        stdout.println();
        stdout.print(md);
        stdout.println();
        stdout.print(report.verdicts());
        Files.createDirectories(out);
        Path mdFile = out.resolve("compare-inits-seeds.md");
        Path png = out.resolve("compare-inits-seeds.png");
        Files.writeString(mdFile, md);
        report.plot(png);
        List<Path> written = new ArrayList<>(List.of(alsoWritten));
        written.add(mdFile);
        written.add(png);
        stdout.println("Wrote " + written.stream().map(Path::toString).collect(Collectors.joining(", ")));
        return 0;
    }
}
