package dev.llmfault.server.internal.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The owners of issued tokens: known by fingerprint, bounded, oldest forgotten first. */
class OAuthTokenOwnersTest {
    @Test
    void remembersEachTokensOwnerUpToItsCapacityForgettingTheOldestFirst() {
        OAuthTokenOwners owners = new OAuthTokenOwners(3);
        for (int i = 1; i <= 5; i++) {
            owners.issued("token-" + i, "owner-" + (i % 2));
        }

        assertThat(owners.size()).isEqualTo(3);
        assertThat(owners.ownerOf("token-1")).isNull();
        assertThat(owners.ownerOf("token-2")).isNull();
        assertThat(owners.ownerOf("token-3")).isEqualTo("owner-1");
        assertThat(owners.ownerOf("token-5")).isEqualTo("owner-1");
    }

    @Test
    void aTokenWithoutOwnerOrUnknownHasNone() {
        OAuthTokenOwners owners = new OAuthTokenOwners();
        owners.issued("token-1", null);

        assertThat(owners.ownerOf("token-1")).isNull();
        assertThat(owners.ownerOf(null)).isNull();
        assertThat(owners.size()).isZero();
    }
}
