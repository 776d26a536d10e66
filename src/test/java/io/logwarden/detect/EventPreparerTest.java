package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.logwarden.event.Level;
import io.logwarden.event.LogEvent;
import io.logwarden.event.SourceRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Messages prepared ahead on another thread mine to the same templates as messages mined directly, whether their
 * tokens fit the batch's budget (kept as spans) or not (mined from the message), and invalid events are left out.
 */
class EventPreparerTest {

    private static List<LogEvent> events(int n, long seed) {
        Random random = new Random(seed);
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String message = switch (random.nextInt(4)) {
                case 0 -> "Receiving block blk_" + random.nextLong() + " src: /10.0.0." + random.nextInt(250) + ":5" + random.nextInt(9999);
                case 1 -> "GET /api/items/" + random.nextInt(999) + "?page=" + random.nextInt(9) + " HTTP/1.1 200";
                case 2 -> "user=" + (random.nextBoolean() ? "root" : "guest") + " logged in after " + random.nextInt(99) + " ms";
                default -> "a b c d e f g h i j k l m n o p q r s t u v w x y z ".repeat(1 + random.nextInt(20)) + random.nextInt(5);
            };
            events.add(new LogEvent("s", Instant.ofEpochSecond(1_700_000_000L + i), Level.INFO, null, null,
                    i % 17 == 5 ? "" : message, Map.of(), message, SourceRef.fileLine("f", i + 1)));
        }
        return events;
    }

    @Test
    void preparedAheadMinesToTheSameTemplatesInsideAndBeyondTheTokenBudget() {
        DetectionSettings settings = DetectionSettings.defaults();
        for (int budget : new int[] {EventPreparer.MAX_SPAN_INTS, 600}) {
            EventPreparer preparer = new EventPreparer(settings, budget);
            TemplateMiner ahead = JobDetection.minerConfig(settings).build();
            TemplateMiner direct = JobDetection.minerConfig(settings).build();
            PreparedMessage holder = ahead.newPreparedMessage();
            for (int round = 0; round < 5; round++) {
                List<LogEvent> events = events(400, round);
                PreparedBatch batch = preparer.prepare(events, e -> e.message().isEmpty() ? "empty message" : null);
                PreparedBatch valid = batch.valid();
                assertThat(valid).hasSize((int) events.stream().filter(e -> !e.message().isEmpty()).count());
                for (int i = 0; i < valid.size(); i++) {
                    String expected = direct.add(valid.get(i).message()).id();
                    assertThat(ahead.add(valid.message(i, holder)).id()).as("budget " + budget + ", event " + i).isEqualTo(expected);
                }
                batch.release();
                assertThat(batch.usable()).isFalse();
            }
            assertThat(ahead.snapshot()).isEqualTo(direct.snapshot());
        }
    }
}
