package dev.llmfault.server.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.apiguardian.api.API;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module boundary, checked with ArchUnit (instead of a {@code module-info.java}: Javalin, Jetty and picocli
 * are automatic modules, and the shaded standalone jar drops module descriptors). Each published module's
 * {@code ArchitectureTest} runs these rules on its own production classes.
 */
public final class ApiRules {
    private ApiRules() {
    }

    /** The production classes compiled beside {@code anchor} (its module's {@code target/classes}). */
    public static JavaClasses production(Class<?> anchor) {
        try {
            return new ClassFileImporter().importPath(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** No class of {@code root} uses another module's internals ({@code dev.llmfault.x.internal..}). */
    public static ArchRule usesNoInternalsOfOtherModules(String root) {
        return noClasses().that().resideInAPackage(root + "..")
                .should().dependOnClassesThat(DescribedPredicate.describe("are internal to another module",
                        c -> c.getPackageName().startsWith("dev.llmfault.") && c.getPackageName().contains(".internal")
                                && !c.getPackageName().startsWith(root + ".")))
                .because("the modules talk to each other through their public API only");
    }

    /**
     * No public or protected member of a public API type names an internal type in its signature, unless the member
     * says it is not API with {@code @API(status = INTERNAL)} (JUnit's convention: public for the kit's own use, such
     * as {@code ServerSettings.proxy()} that the server's internals read).
     */
    public static ArchRule apiExposesNoInternalTypes(String root) {
        return classes().that(api(root)).should(new ArchCondition<>("expose no internal type in a public signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                Stream.concat(type.getCodeUnits().stream().filter(ApiRules::visible).flatMap(ApiRules::signatureTypes)
                                .map(t -> new Object[] {type.getName(), t}),
                        type.getFields().stream().filter(f -> visible(f.getModifiers()))
                                .map(f -> new Object[] {type.getName() + "." + f.getName(), f.getRawType()}))
                        .filter(pair -> ((JavaClass) pair[1]).getPackageName().contains(".internal"))
                        .forEach(pair -> events.add(SimpleConditionEvent.violated(type, pair[0] + " exposes "
                                + ((JavaClass) pair[1]).getName())));
                type.getRawSuperclass().filter(s -> s.getPackageName().contains(".internal")).ifPresent(s ->
                        events.add(SimpleConditionEvent.violated(type, type.getName() + " extends internal " + s.getName())));
            }
        });
    }

    /** Every public top-level API type says how stable it is with {@code @API(status = ...)}. */
    public static ArchRule apiTypesCarryAStatus(String root) {
        return classes().that(api(root)).and().areTopLevelClasses().should().beAnnotatedWith(API.class)
                .because("users must see which parts are experimental (JUnit's @API from org.apiguardian)");
    }

    private static DescribedPredicate<JavaClass> api(String root) {
        return DescribedPredicate.describe("are public API types of " + root, c -> c.getPackageName().startsWith(root)
                && !c.getPackageName().contains(".internal") && c.getModifiers().contains(JavaModifier.PUBLIC)
                && !c.isAnonymousClass() && !c.isLocalClass());
    }

    private static boolean visible(JavaCodeUnit unit) {
        return visible(unit.getModifiers()) && !unit.getModifiers().contains(JavaModifier.SYNTHETIC)
                && !markedInternal(unit);
    }

    private static boolean markedInternal(JavaCodeUnit unit) {
        return unit.tryGetAnnotationOfType(API.class).map(api -> api.status() == API.Status.INTERNAL).orElse(false);
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static Stream<JavaClass> signatureTypes(JavaCodeUnit unit) {
        return Stream.concat(Stream.of(unit.getRawReturnType()), unit.getRawParameterTypes().stream());
    }

}
