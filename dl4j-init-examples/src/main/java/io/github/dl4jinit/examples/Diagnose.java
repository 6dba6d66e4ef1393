package io.github.dl4jinit.examples;

import io.github.dl4jinit.diagnostics.InitDiagnostics;
import io.github.dl4jinit.diagnostics.LayerStats;
import io.github.dl4jinit.examples.data.DataSource;
import io.github.dl4jinit.examples.data.MnistData;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code diagnose}: what initialization does to a deep network before any training. For a deep MLP
 * with tanh and with ReLU, under several schemes, one {@link InitDiagnostics} each on a batch of real
 * images: activation std and gradient norm per layer, with vanishing/exploding/dead/saturated flags.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Builds a deep MLP (784 → DEPTH × WIDTH → 10) with tanh and with ReLU under each scheme, runs"
                + " one forward and backward pass on a batch of images (no parameter changes) and reports per layer"
                + " the activation mean/std, zero and saturation fractions and gradient norms, flagging vanishing"
                + " or exploding signal and dead or saturated layers.",
                "",
                "Writes diagnose.md (every report) and, per activation, diagnose-<act>-std.png and"
                        + " diagnose-<act>-grad.png (log scale, one line per scheme) to --out."})
public final class Diagnose implements Callable<Integer> {

    @Option(names = "--schemes", split = ",", paramLabel = "NAME",
            defaultValue = "zeros,ones,uniform,torch-default,kaiming,lsuv",
            description = "Comma-separated schemes (default: ${DEFAULT-VALUE}); any of: ${COMPLETION-CANDIDATES}.",
            converter = SchemeConverter.class, completionCandidates = SchemeConverter.Names.class)
    List<Scheme> schemes;

    @Option(names = "--depth", defaultValue = "20", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--width", defaultValue = "256", description = "Units per hidden layer (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--batch-size", defaultValue = "256", description = "Images in the diagnostic batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initialization (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        OptionChecks.positive("--depth", depth);
        OptionChecks.positive("--width", width);
        OptionChecks.positive("--batch-size", batchSize);
        PrintStream stdout = System.out;
        DataSource source = common.prepare();
        Path out = common.out;
        MnistData train = source.train();
        INDArray x = train.head(batchSize);
        INDArray y = train.headLabels(batchSize);
        stdout.println(source.summary());
        stdout.printf(Locale.ROOT, "Deep MLP 784 → %d × %d → 10, batch of %d images%n", depth, width, x.size(0));

        StringBuilder md = new StringBuilder("# Initialization diagnostics\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s. Deep MLP 784 → %d × %d → 10, one batch of %d images.%n%n",
                source.description(), depth, width, x.size(0)));
        Files.createDirectories(out);
        for (Activation act : new Activation[]{Activation.TANH, Activation.RELU}) {
            String a = act.name().toLowerCase(Locale.ROOT);
            Map<String, InitDiagnostics> reports = new LinkedHashMap<>();
            for (Scheme s : schemes) {
                MultiLayerNetwork net = Models.deepMlp(s, act, depth, width, seed, x);
                InitDiagnostics r = InitDiagnostics.of(net, x, y);
                reports.put(s.label(), r);
                String verdict = r.flags().isEmpty() ? "healthy" : String.join("; ", r.flags());
                stdout.printf(Locale.ROOT, "%-5s %-36s %s%n", a, s.label(), verdict);
                md.append("## ").append(a).append(", ").append(s.label()).append("\n\n```\n").append(r).append("```\n\n");
            }
            Plots.perLayer(series(reports, true), "diagnose: " + a + " MLP, activation std per layer (log scale)",
                    "activation std", out.resolve("diagnose-" + a + "-std.png"));
            Plots.perLayer(series(reports, false), "diagnose: " + a + " MLP, gradient norm per layer (log scale)",
                    "gradient L2 norm", out.resolve("diagnose-" + a + "-grad.png"));
        }
        Path report = out.resolve("diagnose.md");
        Files.writeString(report, md.toString());
        stdout.println("Wrote " + report + " and diagnose-{tanh,relu}-{std,grad}.png to " + out);
        return 0;
    }

    private static Map<String, double[]> series(Map<String, InitDiagnostics> reports, boolean std) {
        Map<String, double[]> out = new LinkedHashMap<>();
        reports.forEach((name, r) -> {
            List<LayerStats> layers = r.layers();
            double[] v = new double[layers.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = std ? layers.get(i).std() : layers.get(i).gradientNorm();
            }
            out.put(name, v);
        });
        return out;
    }
}
