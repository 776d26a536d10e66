package io.logwarden.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import io.logwarden.ingest.IngestSettings;
import org.springframework.validation.annotation.Validated;

/**
 * File ingestion: where files arrive and how they are read.
 *
 * @param inbox          folder polled for new files
 * @param processed      where a file goes once its job succeeded
 * @param failed         where a file goes when its job failed, with a {@code .reason} file beside it
 * @param pollInterval   how often the inbox is polled
 * @param quietTime      how long a file must have been left unchanged before its job's results are kept: the inbox
 *                       starts reading a file once it has been still for a moment, and the rest of this time is
 *                       waited after reading (a file that changes meanwhile is read again by a new job)
 * @param batchSize      events per exchange: the pipeline works on batches, never one exchange per line (a file's
 *                       batches also end at 128 characters of lines per event of it, so long lines make smaller ones)
 * @param maxLineBytes   longer lines are cut and quarantined
 * @param sampleLines    lines read to detect a file's format
 * @param minFormatShare share of sampled lines a format or inferred layout must parse to be chosen; below it the
 *                       lines are read as plain text without time
 * @param defaultZone    zone for timestamps that carry none
 * @param formats        user formats: layouts (as inference prints them) or regular expressions with named groups
 * @param fileFormats    file-name glob → format name, overriding detection
 * @param json           field names for JSON lines; unset means the usual names
 * @param copySamples    copy the shipped samples into an empty inbox on the first start
 * @param samples        the folder holding the shipped samples
 * @param warmUp         run the reading and detection code on generated logs during start-up, so the first file is
 *                       read at full speed (about a second of start-up)
 */
@ConfigurationProperties("logwarden.ingest")
@Validated
public record IngestProperties(
        @NotNull @DefaultValue("data/inbox") Path inbox,
        @NotNull @DefaultValue("data/processed") Path processed,
        @NotNull @DefaultValue("data/failed") Path failed,
        @NotNull @DefaultValue("2s") java.time.Duration pollInterval,
        @NotNull @DefaultValue("100ms") java.time.Duration quietTime,
        @Min(1) @DefaultValue("4000") int batchSize,
        @Min(256) @DefaultValue("65536") int maxLineBytes,
        @Min(1) @DefaultValue("200") int sampleLines,
        @DecimalMin("0.05") @DecimalMax("1.0") @DefaultValue("0.6") double minFormatShare,
        @NotNull @DefaultValue("UTC") ZoneId defaultZone,
        @DefaultValue List<IngestSettings.UserFormat> formats,
        @DefaultValue Map<String, String> fileFormats,
        IngestSettings.JsonFields json,
        @DefaultValue("true") boolean copySamples,
        @NotNull @DefaultValue("samples") Path samples,
        @DefaultValue("true") boolean warmUp) {

    /** The reader's settings: what of this configuration the file reader needs. */
    public IngestSettings toSettings() {
        return new IngestSettings(maxLineBytes, batchSize, sampleLines, minFormatShare, defaultZone, fileFormats, json,
                formats);
    }
}
