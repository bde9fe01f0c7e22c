package dev.benchmon.server.http;

import dev.benchmon.server.api.errors.ForbiddenException;
import io.javalin.http.Context;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The defence against DNS rebinding of a server bound to loopback: a request whose {@code Host} names another host is
 * refused (403) before any handler reads or writes. Without it, a web page the user opens elsewhere can point its own
 * name at 127.0.0.1 and then read every result, push results and triage alerts of an open loopback server (no tokens,
 * the default), as the browser sends its requests to "its own" origin. The names a browser on this machine uses for
 * the server are accepted: {@code localhost} and {@code *.localhost} (RFC 6761 keeps them on loopback), any IPv4
 * loopback address, {@code [::1]} (and the other spellings of loopback literals, e.g. {@code 127.1}), the address it
 * listens on, and the host of {@code --public-url} (a reverse proxy on
 * this machine that forwards its own name). A request without {@code Host} (HTTP/1.0) is answered: a browser always
 * sends one. The same check as Jupyter's and webpack's dev server's (their {@code allow_remote_access} and
 * {@code allowedHosts}). A server bound to another address needs a write token to start, and a browser sends its
 * session cookie only to the name it signed in at, so there a rebound page gets nothing.
 */
public final class LoopbackHosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> ownNames;

    /**
     * @param boundHost the address the server listens on ({@code --host})
     * @param publicUrl {@code --public-url}, or {@code null}
     */
    public LoopbackHosts(String boundHost, String publicUrl) {
        Set<String> names = new HashSet<>();
        names.add(hostName(boundHost.contains(":") && !boundHost.startsWith("[") ? "[" + boundHost + "]" : boundHost));
        if (publicUrl != null && !publicUrl.isBlank()) {
            try {
                URI u = URI.create(publicUrl.strip());
                // java.net.URI gives no host for a name with '_' (a compose service, benchmon_web): its authority does.
                String host = u.getHost() != null ? u.getHost()
                        : u.getRawAuthority() == null ? null : u.getRawAuthority().replaceFirst("^.*@", "")
                        .replaceFirst(":\\d*$", "");
                if (host != null && !host.isEmpty()) {
                    names.add(hostName(host));
                }
            } catch (IllegalArgumentException notAUrl) {
                // checked where the setting is read; nothing to add here
            }
        }
        this.ownNames = Set.copyOf(names);
    }

    /** Refuses a request for a host that is not this server's; a before-handler of a loopback-bound server. */
    public void check(Context ctx) {
        String header = ctx.header("Host");
        if (header == null || header.isBlank() || isOwn(header)) {
            return;
        }
        throw new ForbiddenException("the Host header names '" + HeaderText.printable(header) + "', which is not this server: a "
                + "server listening on loopback answers only requests for localhost, 127.0.0.1 or [::1] (a web page "
                + "that points its own name at this machine is refused); to reach it by another name, pass that URL "
                + "as --public-url (or BENCHMON_PUBLIC_URL)");
    }

    /** Whether {@code hostHeader} ({@code name[:port]}) names this server. */
    boolean isOwn(String hostHeader) {
        String name = hostName(hostHeader);
        if (name.equals("localhost") || name.endsWith(".localhost") || name.equals("[::1]") || ownNames.contains(name)) {
            return true;
        }
        return IPV4.matcher(name).matches() ? name.startsWith("127.") : loopbackLiteral(name);
    }

    private static final Pattern SHORT_IPV4 = Pattern.compile("\\d{1,10}(\\.\\d{1,10}){0,3}");
    private static final Pattern BRACKETED_IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");

    /**
     * Whether {@code name} is another spelling of a loopback address that clients other than browsers send: the short
     * IPv4 forms of inet_aton(3) ({@code 127.1}, {@code 127.0.1}, {@code 2130706433}), read here, and IPv6 literals
     * such as {@code [::ffff:127.0.0.1]} or {@code [0:0:0:0:0:0:0:1]}, which {@link InetAddress} parses without a look-up
     * when bracketed. No name ever reaches a resolver (a digits-only string out of range would: it is refused).
     */
    private static boolean loopbackLiteral(String name) {
        if (SHORT_IPV4.matcher(name).matches()) {
            return ipv4TopOctet(name) == 127;
        }
        if (!BRACKETED_IPV6.matcher(name).matches()) {
            return false;
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }

    /**
     * The first octet of an inet_aton address of 1 to 4 decimal parts, each but the last at most 255 and the last
     * filling the remaining bytes ({@code a}, {@code a.b} with b < 2^24, {@code a.b.c} with c < 2^16); -1 when out of range.
     */
    private static int ipv4TopOctet(String text) {
        String[] parts = text.split("\\.");
        long last = Long.parseLong(parts[parts.length - 1]);
        if (last >= 1L << (8 * (5 - parts.length))) {
            return -1;
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (Long.parseLong(parts[i]) > 255) {
                return -1;
            }
        }
        return parts.length == 1 ? (int) (last >>> 24) : Integer.parseInt(parts[0]);
    }

    /** The host of a {@code Host} header, lower case, without its port or a final dot; IPv6 keeps its brackets. */
    static String hostName(String hostHeader) {
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0 && colon == h.lastIndexOf(':')) {
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
