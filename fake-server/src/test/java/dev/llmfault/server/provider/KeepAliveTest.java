package dev.llmfault.server.provider;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.FaultCatalogue;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request refused before its body is read (unknown path, wrong method, no credential, no version
 * header) still gets its answer, and the kept-alive connection serves the next request: a refusal is
 * never turned into an IO error the scenario did not ask for.
 */
class KeepAliveTest {
    static final String LARGE = "x".repeat(60_000);
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @ParameterizedTest
    @EnumSource(Provider.class)
    void refusalsWithALargeBodyAreAnsweredAndTheConnectionStaysUsable(Provider p) {
        String body = Calls.body(p, false).put("padding", LARGE).toString();
        String chat = Calls.chatPath(p);
        Map<String, String> noKey = Calls.headersWithoutKey(p);
        FaultCatalogue rows = FaultCatalogue.get();
        int unknownPath = rows.lookup(Fault.OLD_API_VERSION, p, "unknown_path").status();
        int wrongMethod = rows.lookup(Fault.WRONG_METHOD, p).status();
        int noCredential = rows.lookup(Fault.MISSING_TOKEN, p).status();
        boolean keyRequired = ProviderFixture.of(p).credentialRequired();
        for (int i = 0; i < 25; i++) {
            assertThat(Http.send("POST", server.get().url().resolve(chat + "-nope"), Calls.headers(p), body).status())
                    .isEqualTo(unknownPath);
            assertThat(Http.send("PUT", server.get().url().resolve(chat), Calls.headers(p), body).status()).isEqualTo(wrongMethod);
            assertThat(Http.send("POST", server.get().url().resolve(chat), noKey, body).status())
                    .isEqualTo(keyRequired ? noCredential : 200);
            for (String required : ProviderFixture.of(p).requiredHeaders().keySet()) {
                assertThat(Http.send("POST", server.get().url().resolve(chat), Calls.with(Calls.headers(p), required, null),
                        body).status()).as("without %s", required).isBetween(400, 499);
            }
            Answer next = Calls.chat(server.get(), p, false);
            assertThat(next.status()).isEqualTo(200);
        }
    }
}
