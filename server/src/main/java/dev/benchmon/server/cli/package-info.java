/**
 * The {@code benchmon} command line (picocli): {@code serve}, {@code push}, {@code export} and
 * {@code import}. Exit codes are in {@link dev.benchmon.server.cli.ExitCodes}.
 */
package dev.benchmon.server.cli;
