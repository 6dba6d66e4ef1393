package io.github.dl4jinit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package arrows of DESIGN.md: presets, PyTorch interop and diagnostics use the network walk;
 * the network uses the schemes and the samplers; the schemes use the samplers' interface; nothing
 * points up, and no two packages import each other.
 */
class PackageArrowsTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.github.dl4jinit");
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.github.dl4jinit.(*)..").should().beFreeOfCycles().check(core);
    }

    @Test
    void arrowsPointDown() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("facade").definedBy("io.github.dl4jinit")
                .layer("presets").definedBy("io.github.dl4jinit.presets..")
                .layer("torch").definedBy("io.github.dl4jinit.torch..")
                .layer("diagnostics").definedBy("io.github.dl4jinit.diagnostics..")
                .layer("network").definedBy("io.github.dl4jinit.network..")
                .layer("init").definedBy("io.github.dl4jinit.init..")
                .layer("sampling").definedBy("io.github.dl4jinit.sampling..")
                .layer("internal").definedBy("io.github.dl4jinit.internal..")
                .whereLayer("facade").mayNotBeAccessedByAnyLayer()
                .whereLayer("presets").mayNotBeAccessedByAnyLayer()
                .whereLayer("torch").mayNotBeAccessedByAnyLayer()
                .whereLayer("diagnostics").mayNotBeAccessedByAnyLayer()
                .whereLayer("network").mayOnlyBeAccessedByLayers("presets", "torch", "diagnostics")
                .whereLayer("init").mayOnlyBeAccessedByLayers("facade", "presets", "torch", "diagnostics", "network")
                .whereLayer("sampling").mayOnlyBeAccessedByLayers("facade", "presets", "torch", "diagnostics",
                        "network", "init")
                .check(core);
    }

    @Test
    void coreUsesNoBackendDirectly() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.nd4j.linalg.cpu..", "org.nd4j.linalg.jcublas..",
                "org.nd4j.nativeblas..").check(core);
    }
}
