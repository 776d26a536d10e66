package io.logwarden.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's logback for the command line, configured in code: warnings and errors to stderr as {@code logwarden: WARN
 * logger: message} lines, nothing to stdout (it is for the JSON lines). Logback's own start-up would first look for
 * configurators and configuration files ({@code logback-test.xml}, {@code logback.xml}, serialized models) through
 * the class path, each look-up a pass over the jar's two hundred nested jars, a tenth of a second or more of a
 * command's start-up, and then parse XML. The lines are laid out in code too: logback's pattern layout would first
 * register its sixty converters, each a lambda the JVM generates a class for. {@link LogwardenCli} names this
 * provider unless the user gives {@code -Dlogback.configurationFile} or {@code -Dslf4j.provider}.
 */
public final class CliLogging implements SLF4JServiceProvider {

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    @Override
    public void initialize() {
        context.setName("default");
        context.setMDCAdapter(mdc);
        Lines lines = new Lines();
        lines.setContext(context);
        lines.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(lines);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.start();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION; // the version logback's own provider asks for
    }

    /**
     * {@code logwarden: LEVEL logger: message}, the logger's name shortened as logback's {@code %logger{20}} does
     * ({@code i.l.d.SomeDetector}), then the stack trace of a throwable, as the pattern layout adds it.
     */
    private static final class Lines extends LayoutBase<ILoggingEvent> {

        private final TargetLengthBasedClassNameAbbreviator names = new TargetLengthBasedClassNameAbbreviator(20);

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128).append("logwarden: ").append(event.getLevel()).append(' ')
                    .append(names.abbreviate(event.getLoggerName())).append(": ").append(event.getFormattedMessage())
                    .append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }
    }
}
