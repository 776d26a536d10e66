package io.logwarden.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateMinerTest {

    private static TemplateMiner miner() {
        return TemplateMiner.builder().build();
    }

    @Test
    void masksTokensWithDigitsKeepingBracketsAndKeys() {
        TemplateMiner m = miner();
        Template t = m.add("Served block blk_-4216398411834157221 to /10.251.71.16:50010 in 35ms size=1024 "
                + "(uid=0) [5f1c3a9e-0b7d-4c1e-9f3a-2b6d8e4c1a77] at 2024-05-01T10:00:00Z id 0x7f3a");

        assertThat(t.pattern()).isEqualTo(
                "Served block <*> to <*> in <*> size=<*> (uid=<*>) [<*>] at <*> id <*>");
    }

    @Test
    void keepsWordsAndPunctuationWithoutDigitsAsConstants() {
        TemplateMiner m = miner();
        assertThat(m.add("Connection refused: connect to backend failed").pattern())
                .isEqualTo("Connection refused: connect to backend failed");
    }

    @Test
    void groupsLinesOfOneTemplateAndGeneralisesVariableWords() {
        TemplateMiner m = miner();
        Template a = m.add("session opened for user alice by sshd");
        Template b = m.add("session opened for user bob by sshd");
        Template c = m.add("session opened for user carol by sshd");

        assertThat(b).isSameAs(a);
        assertThat(c).isSameAs(a);
        assertThat(a.pattern()).isEqualTo("session opened for user <*> by sshd");
        assertThat(a.count()).isEqualTo(3);
        assertThat(m.templates()).hasSize(1);
    }

    @Test
    void keepsTemplatesApartThatDifferInLeadingTokenOrSeveralWords() {
        TemplateMiner m = miner();
        Template startup = m.add("cupsd startup succeeded");
        Template other = m.add("sshd startup succeeded");
        Template paused = m.add("Instance 42 paused by the scheduler after timeout");
        Template deleted = m.add("Instance 43 deleted by the operator without notice");

        assertThat(other).isNotSameAs(startup);
        assertThat(deleted).isNotSameAs(paused);
        assertThat(m.templates()).hasSize(4);
    }

    @Test
    void separatesMessagesOfDifferentLength() {
        TemplateMiner m = miner();
        Template a = m.add("disk full on /dev/sda1");
        Template b = m.add("disk full on /dev/sda1 retrying");
        assertThat(b).isNotSameAs(a);
    }

    @Test
    void keepsIdWhenPatternGeneralises() {
        TemplateMiner m = miner();
        Template t = m.add("Job finished for tenant acme with status ok");
        String id = t.id();
        String before = t.pattern();

        Template same = m.add("Job finished for tenant globex with status ok");

        assertThat(same).isSameAs(t);
        assertThat(same.id()).isEqualTo(id);
        assertThat(same.pattern()).isNotEqualTo(before).isEqualTo("Job finished for tenant <*> with status ok");
        assertThat(same.previousIds()).isEmpty();
    }

    @Test
    void accessLogTemplatesKeepTheEndpoint() {
        TemplateMiner m = miner();
        Template login = m.add("POST /admin/login HTTP/1.1 401");
        m.add("POST /admin/login HTTP/1.1 200");
        Template orders = m.add("GET /api/users/42/orders HTTP/1.1 200");
        m.add("GET /api/users/7/orders HTTP/2.0 500");
        Template env = m.add("GET /.env HTTP/1.1 404");
        Template wp = m.add("GET /wp-login.php HTTP/1.1 404");

        assertThat(login.pattern()).isEqualTo("POST /admin/login <*>");
        assertThat(login.count()).isEqualTo(2);
        assertThat(orders.pattern()).isEqualTo("GET /api/users/<*>/orders <*>");
        assertThat(orders.count()).isEqualTo(2);
        // one word apart, but another endpoint: never generalised to GET <*> <*>
        assertThat(env).isNotSameAs(wp);
        assertThat(env.pattern()).isEqualTo("GET /.env <*>");
        assertThat(m.templates()).extracting(Template::pattern).doesNotContain("GET <*> <*>");
    }

    @Test
    void listsOfValuesOfAnyLengthAndNamesOfThingsAreParameters() {
        TemplateMiner m = miner();
        Template hosts = m.add("failed to resolve data source name an14 an15 an16 an17 an18");
        assertThat(m.add("failed to resolve data source name dadmin2")).isSameAs(hosts);
        assertThat(hosts.pattern()).isEqualTo("failed to resolve data source name <*>");

        Template classes = m.add("Registering class org.apache.hadoop.mapreduce.jobhistory.EventType for class "
                + "org.apache.hadoop.mapreduce.jobhistory.JobHistoryEventHandler");
        assertThat(m.add("Registering class org.apache.hadoop.mapreduce.v2.app.job.event.JobEventType for class "
                + "org.apache.hadoop.mapreduce.v2.app.MRAppMaster$JobEventDispatcher")).isSameAs(classes);
        assertThat(classes.pattern()).isEqualTo("Registering class <*> for class <*>");

        Template files = m.add("Reading included configuration file: /etc/xinetd.d/echo [file=/etc/xinetd.d/echo] [line=14]");
        assertThat(m.add("Reading included configuration file: /etc/xinetd.d/time [file=/etc/xinetd.d/time] [line=18]"))
                .isSameAs(files);
    }

    @Test
    void aRequestQuotedInsideAnotherMessageIsLeftToTheSimilarityTest() {
        TemplateMiner m = miner();
        Template a = m.add("10.0.0.1 \"GET /v2/servers/detail HTTP/1.1\" status: 200 len: 1893 time: 0.24");
        Template b = m.add("10.0.0.2 \"GET /v2/os-volumes HTTP/1.1\" status: 200 len: 211 time: 0.01");
        assertThat(b).isSameAs(a);
        assertThat(a.pattern()).isEqualTo("<*> \"GET <*> <*>\" status: <*> len: <*> time: <*>");
    }

    @Test
    void aTemplateOfMaskedValuesDoesNotTakeInWordsOfTheSameLength() {
        TemplateMiner m = miner();
        Template dump = m.add("r00=0x00000000 r01=0x00000001 r02=0x0000ff00 r03=0x00000003");
        m.add("r04=0x00000000 r05=0x00000001 r06=0x0000ff00 r07=0x00000003");
        Template words = m.add("data TLB error interrupt");

        assertThat(dump.count()).isEqualTo(2);
        assertThat(words).isNotSameAs(dump);
        assertThat(words.pattern()).isEqualTo("data TLB error interrupt");
    }

    @Test
    void tokensOfDifferentPunctuationFramesNeverJoinOneTemplate() {
        TemplateMiner m = miner();
        Template keyed = m.add("lock taken on queue by owner=alice mode=exclusive");
        Template empty = m.add("lock taken on queue by owner= mode=exclusive");
        Template bracket = m.add("lease granted to worker by (pid=4121) on queue");
        Template glued = m.add("lease granted to worker by SCHEDULER(pid=77) on queue");

        assertThat(empty).isNotSameAs(keyed);
        assertThat(glued).isNotSameAs(bracket);
        assertThat(keyed.pattern()).isEqualTo("lock taken on queue by owner=alice mode=exclusive");
        assertThat(bracket.pattern()).isEqualTo("lease granted to worker by (pid=<*>) on queue");
    }

    @Test
    void valuesOfOneFrameStillVaryInsideTheToken() {
        TemplateMiner m = miner();
        Template t = m.add("lock taken on queue by owner=alice mode=exclusive");
        assertThat(m.add("lock taken on queue by owner=ops.example.org mode=exclusive")).isSameAs(t);
        assertThat(m.add("lock taken on queue by owner=bob mode=exclusive")).isSameAs(t);
        assertThat(t.pattern()).isEqualTo("lock taken on queue by <*> mode=exclusive");
    }

    @Test
    void aParameterKeepsTheFrameOfTheConstantItReplaced() {
        TemplateMiner m = miner();
        Template t = m.add("lock taken on queue by owner=alice mode=exclusive");
        m.add("lock taken on queue by owner=bob mode=exclusive");
        Template empty = m.add("lock taken on queue by owner= mode=exclusive");
        Template path = m.add("lock taken on queue by /var/lib/queue mode=exclusive");

        assertThat(t.pattern()).isEqualTo("lock taken on queue by <*> mode=exclusive");
        assertThat(empty).isNotSameAs(t);
        // masked whole, a path has no frame to compare: it stays a value of the parameter
        assertThat(path).isSameAs(t);
    }

    @Test
    void punctuationFrames() {
        assertThat(TemplateMiner.sameFrame("user=root", "user=guest")).isTrue();
        assertThat(TemplateMiner.sameFrame("host=<*>", "host=a.b-c.org")).isTrue();
        assertThat(TemplateMiner.sameFrame("(<*>)", "(idle)")).isTrue();
        assertThat(TemplateMiner.sameFrame("alpha", "beta.gamma")).isTrue();
        assertThat(TemplateMiner.sameFrame("host=", "host=<*>")).isFalse();
        assertThat(TemplateMiner.sameFrame("(uid=<*>)", "SU(uid=<*>)")).isFalse();
        assertThat(TemplateMiner.sameFrame("(a)", "[a]")).isFalse();
        assertThat(TemplateMiner.sameFrame("a.b=1", "a=1")).isFalse();
        assertThat(TemplateMiner.sameFrame("name", "name=x")).isFalse();
        assertThat(TemplateMiner.sameFrame("", "x")).isFalse();
        assertThat(TemplateMiner.sameFrame("<*>", "/v1/<*>/items")).isTrue();
        assertThat(TemplateMiner.sameFrame("/v1/items?all=true", "/v1/items")).isTrue();
    }

    @Test
    void aPositionGeneralisedFromWordsStillTakesNewWords() {
        TemplateMiner m = miner();
        Template t = m.add("session opened for user alice by sshd");
        m.add("session opened for user bob by sshd");
        assertThat(m.add("session opened for user 1001 by sshd")).isSameAs(t);
        assertThat(m.add("session opened for user carol by sshd")).isSameAs(t);
        assertThat(t.pattern()).isEqualTo("session opened for user <*> by sshd");
    }

    @Test
    void assignsSequentialIds() {
        TemplateMiner m = miner();
        assertThat(m.add("alpha started").id()).isEqualTo("T1");
        assertThat(m.add("beta stopped now").id()).isEqualTo("T2");
        assertThat(m.add("alpha started").id()).isEqualTo("T1");
    }

    @Test
    void cachedAndUncachedMiningGiveTheSameTemplates() {
        List<String> lines = List.of(
                "Receiving block blk_1 src: /10.0.0.1:5000 dest: /10.0.0.2:5000",
                "Receiving block blk_2 src: /10.0.0.3:5000 dest: /10.0.0.4:5000",
                "PacketResponder 1 for block blk_1 terminating",
                "user alice logged in", "user bob logged in", "user alice logged in");
        TemplateMiner cached = TemplateMiner.builder().build();
        TemplateMiner uncached = TemplateMiner.builder().cacheSize(0).build();
        for (String line : lines) {
            assertThat(cached.add(line).id()).isEqualTo(uncached.add(line).id());
        }
        assertThat(cached.snapshot()).isEqualTo(uncached.snapshot());
    }

    @Test
    void matchFindsCoveringTemplateWithoutChangingState() {
        TemplateMiner m = miner();
        Template t = m.add("Deleting file /tmp/a1.log");
        m.add("Deleting file /tmp/b2.log");
        List<TemplateSnapshot> before = m.snapshot();

        assertThat(m.match("Deleting file /tmp/c3.log")).isSameAs(t);
        assertThat(m.match("Deleting directory /tmp/c3")).isNull();
        assertThat(m.match("something never seen")).isNull();
        assertThat(m.snapshot()).isEqualTo(before);
    }

    @Test
    void snapshotAndRestoreKeepIdsCountsPatternsAndHistory() {
        TemplateMiner.Builder config = TemplateMiner.builder();
        TemplateMiner m = config.build();
        m.add("Accepted password for alice from 10.0.0.1 port 22 ssh2");
        m.add("Accepted password for bob from 10.0.0.2 port 2222 ssh2");
        Template closed = m.add("Connection closed by 10.0.0.9 [preauth]");
        List<TemplateSnapshot> snapshot = m.snapshot();

        TemplateMiner restored = TemplateMiner.restore(config, snapshot);

        assertThat(restored.snapshot()).isEqualTo(snapshot);
        Template again = restored.add("Connection closed by 10.0.0.7 [preauth]");
        assertThat(again.id()).isEqualTo(closed.id());
        assertThat(again.count()).isEqualTo(2);
        assertThat(restored.add("Accepted password for carol from 10.0.0.3 port 22 ssh2").id())
                .isEqualTo(snapshot.get(0).id());
        assertThat(restored.add("Invalid user mallory from 10.0.0.5").id()).isEqualTo("T3");
    }

    @Test
    void restoredSequenceSkipsRestoredAndPreviousIds() {
        List<TemplateSnapshot> state = List.of(
                new TemplateSnapshot("T4", "disk <*> is full", 10, List.of("T9")),
                new TemplateSnapshot("T7", "link <*> down", 3, List.of()));

        TemplateMiner m = TemplateMiner.restore(TemplateMiner.builder(), state);

        assertThat(m.add("disk sda1 is full").id()).isEqualTo("T4");
        assertThat(m.templates()).extracting(Template::previousIds).first().isEqualTo(List.of("T9"));
        assertThat(m.add("fan speed low on rack").id()).isEqualTo("T10");
    }

    @Test
    void restoreRejectsDuplicateIds() {
        List<TemplateSnapshot> state = List.of(
                new TemplateSnapshot("T1", "a <*>", 1, List.of()),
                new TemplateSnapshot("T1", "b <*>", 1, List.of()));
        assertThatThrownBy(() -> TemplateMiner.restore(TemplateMiner.builder(), state))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void userMasksReplaceMatchesBeforeTokenising() {
        TemplateMiner m = TemplateMiner.builder()
                .mask("email", "[\\w.+-]+@[\\w-]+\\.[\\w.]+")
                .build();
        Template a = m.add("mail sent to alice@example.com ok");
        Template b = m.add("mail sent to bob.smith@corp.example.org ok");

        assertThat(b).isSameAs(a);
        assertThat(a.pattern()).isEqualTo("mail sent to <*> ok");
    }

    @Test
    void namedUserMasksKeepTheirName() {
        TemplateMiner m = TemplateMiner.builder()
                .mask("email", "[\\w.+-]+@[\\w-]+\\.[\\w.]+")
                .namedMasks(true)
                .build();
        assertThat(m.add("mail sent to alice@example.com ok").pattern()).isEqualTo("mail sent to <email> ok");
    }

    @Test
    void foldsMultiLineEventsToFirstLineAndExceptionSignature() {
        TemplateMiner m = miner();
        Template a = m.add("""
                Request 17 failed
                java.lang.IllegalStateException: pool exhausted after 30s
                \tat com.acme.Pool.take(Pool.java:88)
                \tat com.acme.Handler.run(Handler.java:12)
                Caused by: java.net.SocketTimeoutException: Read timed out
                \tat java.net.Socket.read(Socket.java:1)
                """);
        Template b = m.add("""
                Request 18 failed
                java.lang.IllegalStateException: pool exhausted after 45s
                \tat com.acme.Pool.take(Pool.java:91)
                Caused by: java.net.SocketTimeoutException: Read timed out
                """);
        Template other = m.add("""
                Request 19 failed
                java.lang.NullPointerException
                \tat com.acme.Handler.run(Handler.java:40)
                """);
        // the same first line and class, another failure: the message's first words tell them apart
        Template closed = m.add("""
                Request 20 failed
                java.lang.IllegalStateException: connection closed by the peer while reading 512 bytes
                \tat com.acme.Pool.take(Pool.java:88)
                Caused by: java.net.SocketTimeoutException: Read timed out
                """);

        assertThat(b).isSameAs(a);
        assertThat(a.pattern()).isEqualTo(
                "Request <*> failed java.lang.IllegalStateException: pool exhausted after <*> java.net.SocketTimeoutException");
        assertThat(other).isNotSameAs(a);
        assertThat(other.pattern()).isEqualTo("Request <*> failed java.lang.NullPointerException");
        assertThat(closed).isNotSameAs(a);
        assertThat(closed.pattern()).isEqualTo(
                "Request <*> failed java.lang.IllegalStateException: connection closed by the java.net.SocketTimeoutException");
    }

    @Test
    void handlesEmptyAndBlankMessages() {
        TemplateMiner m = miner();
        Template empty = m.add("");
        assertThat(m.add("   \t ")).isSameAs(empty);
        assertThat(empty.pattern()).isEmpty();
        assertThat(m.match("")).isSameAs(empty);
    }

    @Test
    void builderValidatesArguments() {
        assertThatThrownBy(() -> TemplateMiner.builder().similarity(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TemplateMiner.builder().depth(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TemplateMiner.builder().maxChildren(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotIsImmutableCopy() {
        TemplateMiner m = miner();
        m.add("worker 1 ready");
        List<TemplateSnapshot> snap = m.snapshot();
        m.add("worker 2 ready");
        assertThat(snap.get(0).count()).isEqualTo(1);
        assertThatThrownBy(() -> snap.get(0).previousIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aFullLeafSendsMessagesThatMatchNoneToTheMostSimilarTemplate() {
        // Free text that hardly repeats: every message would become a template of the leaf (length 6, first two
        // tokens overflowing to the wildcard branch), and each later message would be compared with all of them.
        java.util.Random random = new java.util.Random(7);
        String[] words = new String[5_000];
        for (int i = 0; i < words.length; i++) {
            StringBuilder w = new StringBuilder();
            for (int k = 0, n = 4 + random.nextInt(5); k < n; k++) w.append((char) ('a' + random.nextInt(26)));
            words[i] = w.toString();
        }
        TemplateMiner capped = TemplateMiner.builder().maxChildren(4).maxLeafTemplates(50).build();
        TemplateMiner uncapped = TemplateMiner.builder().maxChildren(4).maxLeafTemplates(1_000_000).build();
        for (int i = 0; i < 3_000; i++) {
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < 6; k++) line.append(k == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            Template t = capped.add(line.toString());
            assertThat(t.tokens).hasSize(6);
            uncapped.add(line.toString());
        }
        // leaves of up to 50 templates and one overflow template each (the first tokens took a few children first)
        assertThat(capped.templates().size()).isBetween(50, 300);
        assertThat(uncapped.templates().size()).isGreaterThan(2_900);
        assertThat(capped.templates()).anySatisfy(t -> {
            assertThat(t.pattern()).matches("\\S+ \\S+ <\\*> <\\*> <\\*> <\\*>");
            assertThat(t.count()).isGreaterThan(1_000);
        });
        // every message still lands in a template that covers it
        assertThat(capped.templates().stream().mapToLong(Template::count).sum()).isEqualTo(3_000);
    }

    @Test
    void aFullLeafHasOneOverflowTemplateForWhatMatchesNoneOfItsTemplates() {
        TemplateMiner m = TemplateMiner.builder().maxLeafTemplates(2).build();
        Template started = m.add("job alpha started on node north");
        Template failed = m.add("job alpha failed on disk east"); // 3 of 6 positions agree: below 0.75
        assertThat(failed).isNotSameAs(started);
        // the leaf (6 tokens, "job alpha") is full: a message that matches neither goes to its overflow template
        Template paused = m.add("job alpha paused on operator west");
        assertThat(paused).isNotIn(started, failed);
        assertThat(paused.pattern()).isEqualTo("job alpha <*> <*> <*> <*>");
        assertThat(m.add("job alpha resumed by operator south")).isSameAs(paused);
        assertThat(paused.count()).isEqualTo(2);
        // the leaf's templates still take what they match: the overflow one never wins a tie
        assertThat(m.add("job alpha failed on disk west")).isSameAs(failed);
        assertThat(failed.pattern()).isEqualTo("job alpha failed on disk <*>");
        assertThat(m.add("job alpha started on node north")).isSameAs(started);
        assertThat(m.templates()).hasSize(3);
        // restored, the overflow template is the leaf's overflow again
        TemplateMiner restored = TemplateMiner.restore(TemplateMiner.builder().maxLeafTemplates(2), m.snapshot());
        assertThat(restored.add("job alpha started on node north").id()).isEqualTo(started.id());
        assertThat(restored.add("job alpha halted at gate east").id()).isEqualTo(paused.id());
        assertThat(restored.templates()).hasSize(3);
        assertThatThrownBy(() -> TemplateMiner.builder().maxLeafTemplates(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
