package io.logwarden.pipeline;

import io.logwarden.event.LogEvent;
import io.logwarden.store.WatermarkRepository.Watermark;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.TransactionStatus;

/**
 * One run of a watermarked source (database, REST API, Kafka), kept in the exchange property
 * {@value #PROPERTY} from {@code sourceRuns.begin} (or {@code peek}) to {@code sourceRuns.advance}: where reading
 * started, how far it got, what it read, and the transaction it holds. Route steps read it, e.g.
 * {@code ${exchangeProperty.logwardenRun.records}}; the paging beans record each record read in it.
 */
public final class SourceRun {

    public static final String PROPERTY = "logwardenRun";

    private final String source;
    private final String kind;
    private final Watermark initial;
    private final Watermark from;
    private Watermark started;
    private Watermark reached;
    private long records;
    private final List<List<LogEvent>> held = new ArrayList<>();
    TransactionStatus transaction;
    /** The first transaction committed the job's quarantine and detection state: a later failure removes them. */
    boolean stored;

    SourceRun(String source, String kind, Watermark initial, Watermark from) {
        this.source = source;
        this.kind = kind;
        this.initial = initial;
        this.from = from;
        this.started = from;
        this.reached = from;
    }

    public String source() {
        return source;
    }

    public String kind() {
        return kind;
    }

    Watermark initial() {
        return initial;
    }

    /** Where this run reads from: the stored watermark, or the source's start. */
    public Watermark from() {
        return from;
    }

    Watermark started() {
        return started;
    }

    void started(Watermark locked) {
        this.started = locked;
    }

    /** How far the records read reach; the watermark advances here when the job is stored. */
    public Watermark reached() {
        return reached;
    }

    /** Stored by an earlier run: before the watermark, or at its timestamp with a key already stored. */
    public boolean covers(Instant timestamp, String key) {
        return from.covers(timestamp, key);
    }

    /** A record read: the watermark will reach it. */
    public void read(Instant timestamp, String key) {
        reached = reached.plus(timestamp, key);
    }

    /** A position computed whole (Kafka's offsets per partition). */
    public void reach(Watermark position) {
        reached = position;
    }

    /** A batch about to go to {@code direct:analyze}; the job's records read are counted here. */
    public void counted(int batchSize) {
        records += batchSize;
    }

    public long records() {
        return records;
    }

    /** A batch read before the transaction (REST pages), analyzed inside it. */
    public void hold(List<LogEvent> batch) {
        held.add(List.copyOf(batch));
        records += batch.size();
    }

    public List<List<LogEvent>> held() {
        return held;
    }

    public boolean isEmpty() {
        return records == 0;
    }
}
