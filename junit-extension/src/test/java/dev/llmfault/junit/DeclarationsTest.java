package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.DeclarationFixture;
import org.junit.jupiter.api.Test;

/** Scenarios come from the superclass, the class, the method, composed annotations and enclosing classes, in that order. */
class DeclarationsTest {

    @Test
    void everySourceOfScenariosIsInstalledInOrderAndResetBetweenTests() {
        FixtureRun run = FixtureRun.run(DeclarationFixture.class);
        run.assertPassed("classThenMethodThenComposed");
        run.assertPassed("eachTestStartsFromTheClassScenariosOnly");
        run.assertPassed("enclosingClassScenariosApplyFirst");
    }
}
