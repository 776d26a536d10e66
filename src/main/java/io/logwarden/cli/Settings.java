package io.logwarden.cli;

import io.logwarden.config.DetectProperties;
import io.logwarden.config.IngestProperties;
import io.logwarden.config.ValidationProperties;
import io.logwarden.detect.DetectionSettings;
import io.logwarden.ingest.IngestSettings;
import io.logwarden.validate.EventChecks;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The service's {@code logwarden.*} settings without a Spring context, as the plain settings the reading, checking
 * and detection classes take. From a file, they are the same {@code @ConfigurationProperties} records the service
 * binds, bound by Spring's {@link Binder} from an {@code application.yml} read by Spring's own YAML loader (so a file
 * means the same here as in the service). Without a file, they are the plain classes' defaults: binding nothing would
 * give the same (checked by {@code CliTest}) but loads Spring's binder and conversion service, a third to half of a
 * second of a command's start-up.
 */
record Settings(IngestSettings ingest, EventChecks.Rules validation, DetectionSettings detect) {

    /** Templates listed in a detection result's statistics; the command line prints none of them. */
    static final int TOP_TEMPLATES = 15;

    /** The built-in defaults. */
    static Settings defaults() {
        return new Settings(IngestSettings.defaults(), EventChecks.Rules.defaults(), DetectionSettings.defaults());
    }

    /** The defaults as the service binds them when nothing is configured: what {@link #defaults()} must equal. */
    static Settings boundDefaults() throws CliError {
        return of(bind(new Binder(List.of(new MapConfigurationPropertySource()))));
    }

    /**
     * The settings of a YAML file ({@code config/application.yml} or one like it). Placeholders resolve against the
     * file and the environment; documents for a Spring profile are left out. Constraint violations ({@code @Min}...)
     * are reported as the service reports them at start-up.
     */
    static Settings load(Path yaml) throws CliError {
        if (!Files.isRegularFile(yaml)) {
            throw CliError.input(Files.exists(yaml) ? "not a file: " + yaml : "no such file: " + yaml);
        }
        List<PropertySource<?>> documents;
        try {
            documents = new ArrayList<>(new YamlPropertySourceLoader().load(yaml.toString(), new FileSystemResource(yaml)));
        } catch (IOException | RuntimeException e) {
            throw CliError.input(yaml + ": not a readable YAML file: " + oneLine(e.getMessage()));
        }
        documents.removeIf(d -> d.containsProperty("spring.config.activate.on-profile") || d.containsProperty("spring.profiles"));
        List<PropertySource<?>> placeholders = new ArrayList<>(documents);
        placeholders.add(new SystemEnvironmentPropertySource("environment", Map.copyOf(System.getenv())));
        Iterable<ConfigurationPropertySource> sources = ConfigurationPropertySources.from(documents);
        Properties settings;
        try {
            settings = bind(new Binder(sources, new PropertySourcesPlaceholdersResolver(placeholders)));
        } catch (BindException e) {
            Throwable cause = e.getCause();
            while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw CliError.input(yaml + ": " + e.getMessage() + (cause == null ? "" : ": " + oneLine(cause.getMessage())));
        }
        settings.check(yaml);
        return of(settings);
    }

    private static Settings of(Properties bound) throws CliError {
        IngestSettings ingest;
        try {
            ingest = bound.ingest().toSettings();
        } catch (IllegalArgumentException e) {
            throw CliError.input("bad ingest settings: " + e.getMessage()); // a user format's regex, a duplicate name
        }
        return new Settings(ingest, bound.validation().rules(), bound.detect().settings());
    }

    private static Properties bind(Binder binder) {
        return new Properties(
                binder.bindOrCreate("logwarden.ingest", IngestProperties.class),
                binder.bindOrCreate("logwarden.validate", ValidationProperties.class),
                binder.bindOrCreate("logwarden.detect", DetectProperties.class));
    }

    private static <T> void collect(List<String> problems, String prefix, Set<ConstraintViolation<T>> violations) {
        violations.stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .forEach(v -> problems.add(prefix + "." + kebab(v.getPropertyPath().toString()) + " " + v.getMessage()
                        + " (was " + v.getInvalidValue() + ")"));
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The service's properties records, as bound from a file. */
    private record Properties(IngestProperties ingest, ValidationProperties validation, DetectProperties detect) {

        // Only for a user file: the defaults are valid, and Hibernate Validator costs a few hundred milliseconds.
        void check(Path yaml) throws CliError {
            List<String> problems = new ArrayList<>();
            try (ValidatorFactory factory = Validation.byDefaultProvider().configure()
                    .messageInterpolator(new org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator())
                    .buildValidatorFactory()) {
                Validator validator = factory.getValidator();
                collect(problems, "logwarden.ingest", validator.validate(ingest));
                collect(problems, "logwarden.validate", validator.validate(validation));
                collect(problems, "logwarden.detect", validator.validate(detect));
                collect(problems, "logwarden.detect.miner", validator.validate(detect.miner()));
            }
            if (!problems.isEmpty()) {
                throw CliError.input(yaml + ": " + String.join("; ", problems));
            }
        }
    }
}
