package dev.llmfault.server.internal.journal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {
    @Test
    void writesWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(15);
        long now = Instant.parse("2026-12-02T16:17:32Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = i % 2 == 0 ? now + random.nextInt(3) : random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nano);
            assertThat(Timestamps.iso(t)).as("%s", t).isEqualTo(t.toString());
        }
    }

    @Test
    void edgesOfTheFourDigitYears() {
        for (String s : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00.001Z",
                "1969-12-31T23:59:59.000001Z", "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.5Z"}) {
            Instant t = Instant.parse(s);
            assertThat(Timestamps.iso(t)).isEqualTo(t.toString());
        }
    }
}
