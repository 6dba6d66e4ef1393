package io.github.dl4jinit.examples;

import io.github.dl4jinit.examples.data.DataSource;
import io.github.dl4jinit.examples.data.MnistData;
import io.github.dl4jinit.torch.LoadReport;
import io.github.dl4jinit.torch.SafetensorsFormatException;
import io.github.dl4jinit.torch.TorchStateDict;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code port-check}: a PyTorch-trained model run in DL4J. Loads a state_dict that PyTorch saved
 * with {@code safetensors.torch.save_file} into one of the examples' networks, prints the load
 * report and the network's test accuracy, to compare with what PyTorch reported.
 */
@Command(name = "port-check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Loads a PyTorch state_dict (safetensors, e.g. from python/train_cnn_torch.py --save-state-dict)"
                + " into one of the examples' networks, strictly as load_state_dict(strict=True), prints what went"
                + " where and the network's accuracy on the test images.",
                "",
                "Module names are those of the examples' PyTorch twins: cnn = train_cnn_torch.py's Net (conv1, conv2,"
                        + " bn2, fc1, bn3, fc2), mlp = compare_inits_torch.py's Mlp (fc1, fc2, fc3)."})
public final class PortCheck implements Callable<Integer> {

    /** The examples' networks and their PyTorch twins' module names, in the networks' layer order. */
    enum Model {
        CNN("cnn"), MLP("mlp");

        final String cliName;

        Model(String cliName) {
            this.cliName = cliName;
        }

        /** PyTorch module name → DL4J layer name (the examples' layers are unnamed: DL4J calls them layer0, layer1...). */
        Map<String, String> layerNames() {
            Map<String, String> m = new LinkedHashMap<>();
            if (this == CNN) {
                m.put("conv1", "layer0");
                m.put("conv2", "layer3");
                m.put("bn2", "layer4");
                m.put("fc1", "layer7");
                m.put("bn3", "layer8");
                m.put("fc2", "layer10");
            } else {
                m.put("fc1", "layer0");
                m.put("fc2", "layer1");
                m.put("fc3", "layer2");
            }
            return m;
        }

        MultiLayerNetwork build() {
            return this == CNN ? Models.cnn(Scheme.TORCH_DEFAULT, 1e-3, 42, null)
                    : Models.mlp(Scheme.TORCH_DEFAULT, 1e-3, 42, null);
        }
    }

    @Option(names = "--state-dict", required = true, paramLabel = "FILE",
            description = "A safetensors file written by safetensors.torch.save_file(model.state_dict(), FILE).")
    Path stateDict;

    @Option(names = "--model", defaultValue = "cnn", paramLabel = "NAME",
            description = "The examples' network it is for: cnn or mlp (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--lenient", description = "Leave missing parameters as they are and ignore unexpected keys"
            + " (load_state_dict(strict=False)).")
    boolean lenient;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Model m = parseModel(model);
        PrintStream stdout = System.out;
        DataSource source = common.prepare();
        MnistData test = source.test();
        stdout.println(source.summary());
        TorchStateDict sd;
        try {
            sd = TorchStateDict.read(stateDict);
        } catch (SafetensorsFormatException | NoSuchFileException e) {
            spec.commandLine().getErr().println("error: " + (e instanceof NoSuchFileException ? "no such file: " : "") + e.getMessage());
            return Main.EXIT_DATA;
        }
        for (Map.Entry<String, String> e : m.layerNames().entrySet()) {
            sd = sd.replacePrefix(e.getKey() + ".", e.getValue() + ".");
        }
        MultiLayerNetwork net = m.build();
        LoadReport report = sd.loadInto(net, !lenient);
        stdout.println("PyTorch module names → layers: " + m.layerNames());
        stdout.print(report);
        double accuracy = Training.accuracy(net, test);
        stdout.printf(Locale.ROOT, "Test accuracy in DL4J: %.2f %% of %d images%n", accuracy, test.size());
        String correct = sd.metadata().get("test_correct");
        String size = sd.metadata().get("test_size");
        if (correct != null && size != null) {
            stdout.printf(Locale.ROOT, "PyTorch recorded in the file: %s of %s correct (%s)%n", correct, size,
                    sd.metadata().getOrDefault("torch_version", "torch"));
        }
        return 0;
    }

    private static Model parseModel(String name) {
        for (Model m : Model.values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--model: \"" + name + "\", expected cnn or mlp");
    }
}
