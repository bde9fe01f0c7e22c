package dev.benchmon;

/** A setting (environment variable, URL, option) is missing or malformed. Thrown once, at open. */
public class ConfigurationException extends BenchmonException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
