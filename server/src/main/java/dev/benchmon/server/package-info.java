/**
 * The benchmon server: a Javalin application that serves the JSON API ({@code api}), the web
 * dashboard ({@code web}) and the {@code benchmon} command line ({@code cli}), all on the toolkit.
 */
package dev.benchmon.server;
