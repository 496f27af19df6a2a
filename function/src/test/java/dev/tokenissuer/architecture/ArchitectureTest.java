package dev.tokenissuer.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The function's dependency rules: {@code lambda → observability → api → grant → token → signing → store}, with
 * {@code config}, {@code http} and {@code aws} as leaves anyone may use. {@code token} builds tokens and signs them
 * with the keys {@code signing} manages (loaded from KMS and the verification set, refreshed, published).
 * {@code observability} writes what the layers below report through their own interfaces (the API's
 * {@code RequestLog}, the signing keys' {@code SigningKeysLog}): the request and audit lines, the signing keys' events
 * and the metrics; only the wiring in {@code lambda} knows it. A grant refuses with an OAuth error value; only
 * {@code api} knows HTTP statuses and Frontier's codes.
 */
class ArchitectureTest {

    private static final JavaClasses FUNCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tokenissuer");

    @Test
    @DisplayName("dependencies run one way: lambda, observability, api, grant, token, signing, store")
    void layers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("lambda").definedBy("dev.tokenissuer.lambda..")
                .layer("observability").definedBy("dev.tokenissuer.observability..")
                .layer("api").definedBy("dev.tokenissuer.api..")
                .layer("grant").definedBy("dev.tokenissuer.grant..")
                .layer("token").definedBy("dev.tokenissuer.token..")
                .layer("signing").definedBy("dev.tokenissuer.signing..")
                .layer("store").definedBy("dev.tokenissuer.store..")
                .whereLayer("lambda").mayNotBeAccessedByAnyLayer()
                .whereLayer("observability").mayOnlyBeAccessedByLayers("lambda")
                .whereLayer("api").mayOnlyBeAccessedByLayers("lambda", "observability")
                .whereLayer("grant").mayOnlyBeAccessedByLayers("lambda", "observability", "api")
                .whereLayer("token").mayOnlyBeAccessedByLayers("lambda", "observability", "api", "grant")
                .whereLayer("signing").mayOnlyBeAccessedByLayers("lambda", "observability", "api", "grant", "token")
                .whereLayer("store").mayOnlyBeAccessedByLayers("lambda", "observability", "api", "grant", "token",
                        "signing")
                .check(FUNCTION);
    }

    @Test
    @DisplayName("config, http and aws are leaves: they use no other package of the function")
    void leaves() {
        noClasses().that().resideInAnyPackage("dev.tokenissuer.config..", "dev.tokenissuer.http..",
                        "dev.tokenissuer.aws..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tokenissuer.lambda..",
                        "dev.tokenissuer.observability..", "dev.tokenissuer.api..", "dev.tokenissuer.grant..",
                        "dev.tokenissuer.token..", "dev.tokenissuer.signing..", "dev.tokenissuer.store..")
                .check(FUNCTION);
    }

    @Test
    @DisplayName("no two packages import each other, directly or around a loop")
    void noCycles() {
        slices().matching("dev.tokenissuer.(*)..").should().beFreeOfCycles().check(FUNCTION);
    }

    @Test
    @DisplayName("below the API nothing knows HTTP statuses: grant, token, signing and store never touch api")
    void oauthErrorsAreValuesBelowTheApi() {
        noClasses().that().resideInAnyPackage("dev.tokenissuer.grant..", "dev.tokenissuer.token..",
                        "dev.tokenissuer.signing..", "dev.tokenissuer.store..")
                .should().dependOnClassesThat().resideInAPackage("dev.tokenissuer.api..")
                .check(FUNCTION);
    }
}
