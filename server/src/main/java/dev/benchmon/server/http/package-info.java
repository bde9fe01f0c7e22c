/**
 * HTTP concerns that apply to every response whatever route answers it: security headers, and what
 * the server does with a request body that stalls or is cut off by the client.
 */
package dev.benchmon.server.http;
