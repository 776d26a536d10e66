package io.logwarden.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The formats files can be read with: user formats from the settings, then the built-ins
 * ({@code docker-json}, {@code cri}, {@code json}, {@code logfmt}, {@code apache-access}, {@code nginx-access},
 * {@code apache-error}, {@code nginx-error}, {@code app}, {@code haproxy}, {@code squid}, {@code vsftpd},
 * {@code xferlog}, {@code klog}, {@code syslog}, {@code raw}, {@code plain}). The order
 * is the detection order, which breaks ties: user formats first, then the more specific built-ins. Formats for
 * layouts inferred from a file are made per file and are not here. Immutable and thread-safe.
 */
public final class FormatRegistry {

    private static final ObjectMapper SHARED_MAPPER = new ObjectMapper();

    private final Map<String, LogFormat> formats;
    private final TimestampParser timestamps;

    /** Built-ins plus the settings' user formats, timestamps in the settings' zone, JSON through a shared mapper. */
    public FormatRegistry(IngestSettings settings, Clock clock) {
        this(settings, clock, SHARED_MAPPER);
    }

    /** As above, with the application's ObjectMapper. */
    public FormatRegistry(IngestSettings settings, Clock clock, ObjectMapper mapper) {
        this.timestamps = new TimestampParser(settings.defaultZone(), clock);
        Map<String, LogFormat> all = new LinkedHashMap<>();
        List<LogFormat> builtIns = List.of(
                new ContainerFormat(ContainerFormat.Wrapper.DOCKER, null, mapper, timestamps),
                new ContainerFormat(ContainerFormat.Wrapper.CRI, null, mapper, timestamps),
                new JsonFormat(mapper, timestamps, settings.jsonFields()),
                new LogfmtFormat(timestamps),
                AccessLogFormat.apache(timestamps),
                AccessLogFormat.nginx(timestamps),
                new ApacheErrorFormat(timestamps),
                new NginxErrorFormat(timestamps),
                new AppLogFormat(timestamps),
                new SupervisorFormat(timestamps),
                new HAProxyFormat(timestamps),
                new SquidFormat(timestamps),
                new VsftpdFormat(timestamps),
                new XferlogFormat(timestamps),
                new PhpFormat(timestamps),
                new SambaFormat(timestamps),
                new UwsgiFormat(timestamps),
                new NagiosFormat(timestamps),
                new KlogFormat(timestamps),
                new SyslogFormat(timestamps),
                new RawFormat(),
                new PlainFormat());
        List<String> builtInNames = builtIns.stream().map(LogFormat::name).toList();
        for (IngestSettings.UserFormat user : settings.userFormats()) {
            if (builtInNames.contains(user.name())) {
                throw new IllegalArgumentException("user format '" + user.name() + "' has the name of a built-in format;"
                        + " built-in formats: " + String.join(", ", builtInNames));
            }
            if (all.containsKey(user.name())) {
                throw new IllegalArgumentException("user format '" + user.name() + "' is defined twice");
            }
            if (user.layout() != null && !user.layout().isBlank()) {
                all.put(user.name(), new LayoutFormat(user.name(), Layout.parse(user.layout()), false, timestamps));
            } else {
                all.put(user.name(), new RegexFormat(user.name(), user.regex(), user.timestampPattern(), timestamps));
            }
        }
        for (LogFormat builtIn : builtIns) {
            all.put(builtIn.name(), builtIn);
        }
        this.formats = Collections.unmodifiableMap(all);
    }

    /**
     * The format with this name.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public LogFormat get(String name) {
        LogFormat format = formats.get(name);
        if (format == null) {
            throw new IllegalArgumentException("unknown log format '" + name + "'; known formats: " + String.join(", ", names()));
        }
        return format;
    }

    /** All formats in detection order. */
    public List<LogFormat> all() {
        return List.copyOf(formats.values());
    }

    /** The formats detection tries: all except {@code raw} and {@code plain}. */
    public List<LogFormat> detectable() {
        List<LogFormat> list = new ArrayList<>(formats.values());
        list.removeIf(f -> f instanceof RawFormat || f instanceof PlainFormat);
        return list;
    }

    public List<String> names() {
        return List.copyOf(formats.keySet());
    }

    /** The timestamp parser the formats share (default zone and clock from the settings). */
    public TimestampParser timestamps() {
        return timestamps;
    }
}
