package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An input that is its own baseline has each template's counts read once for all its windows; what the judge finds
 * must be exactly what it finds looking every count up (the way it still goes when the counts would not fit).
 */
class CountJudgeTest {

    private static final JobContext CONTEXT = new JobContext() {
        @Override
        public Template template(String id) {
            return null;
        }

        @Override
        public long windowMillis() {
            return 60_000;
        }
    };

    @Test
    void countsReadAheadFindWhatLookingEachUpFinds() {
        Random random = new Random(13);
        int found = 0;
        for (int round = 0; round < 40; round++) {
            CountJudge ahead = new CountJudge(DetectionSettings.defaults(), CONTEXT);
            CountJudge lookedUp = new CountJudge(DetectionSettings.defaults(), CONTEXT, 0);
            // two inputs judged one after the other by the same judges: the read-ahead follows the pool it is given
            for (int input = 0; input < 2; input++) {
                List<WindowStats> windows = windows(random, 30 + random.nextInt(60), 5 + random.nextInt(40));
                for (WindowStats w : windows) {
                    ahead.judge(w, windows, false);
                    lookedUp.judge(w, windows, false);
                }
            }
            List<CountJudge.Draft> a = ahead.finish();
            List<CountJudge.Draft> b = lookedUp.finish();
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).detector).isEqualTo(b.get(i).detector);
                assertThat(a.get(i).firstWindow).isEqualTo(b.get(i).firstWindow);
                assertThat(a.get(i).lastWindow).isEqualTo(b.get(i).lastWindow);
                assertThat(a.get(i).template).isEqualTo(b.get(i).template);
                assertThat(a.get(i).peak).isEqualTo(b.get(i).peak);
                assertThat(a.get(i).contributors).isEqualTo(b.get(i).contributors);
                assertThat(a.get(i).peakBaseline).isEqualTo(b.get(i).peakBaseline);
            }
            found += a.size();
        }
        assertThat(found).as("spikes drafted over all rounds").isGreaterThan(20);
    }

    /** Windows of steady templates (some absent now and then), with a few windows where some template spikes. */
    private static List<WindowStats> windows(Random random, int count, int templates) {
        List<WindowStats> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WindowStats w = new WindowStats(1_000 + i);
            boolean spike = random.nextInt(10) == 0;
            for (int t = 0; t < templates; t++) {
                if (random.nextInt(8) == 0) continue;
                long n = 5 + random.nextInt(10) + (spike && t % 7 == 0 ? 200 + random.nextInt(300) : 0);
                WindowStats.TemplateCount c = new WindowStats.TemplateCount();
                c.count = n;
                w.templates.put("T" + t, c);
                w.events += n;
            }
            windows.add(w);
        }
        return windows;
    }
}
