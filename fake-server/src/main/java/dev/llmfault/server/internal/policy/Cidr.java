package dev.llmfault.server.internal.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address or CIDR range. Only literal addresses are accepted: a host name would mean a
 * DNS lookup, and the server never looks anything up outside.
 */
public record Cidr(byte[] network, int prefixLength, String text) {
    private static final String IPV4 = "\\d{1,3}(\\.\\d{1,3}){3}";
    private static final String IPV6 = "[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*";

    /** Parses {@code 10.0.0.0/8}, {@code 203.0.113.7}, {@code 2001:db8::/32}; fails naming the field. */
    public static Cidr parse(String field, String text) {
        if (text == null) {
            throw invalid(field, null);
        }
        String t = text.trim();
        String address = t;
        int prefix = -1;
        int slash = t.indexOf('/');
        if (slash >= 0) {
            address = t.substring(0, slash);
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(field, text);
            }
        }
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw invalid(field, text);
        }
        int bits = bytes.length * 8;
        if (prefix == -1) {
            prefix = bits;
        }
        if (prefix < 0 || prefix > bits) {
            throw invalid(field, text);
        }
        return new Cidr(bytes, prefix, t);
    }

    /** The bytes of a literal IP address, or null when the text is not one. */
    public static byte[] literal(String address) {
        if (address == null) {
            return null;
        }
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (!a.matches(IPV4) && !a.matches(IPV6)) {
            return null;
        }
        if (a.matches(IPV4)) {
            for (String part : a.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            return InetAddress.getByName(a).getAddress(); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean contains(byte[] address) {
        byte[] net = network;
        if (address.length != net.length) {
            address = mapped(address, net.length);
            if (address == null) {
                return false;
            }
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != net[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (net[full] & mask);
    }

    /** IPv4-mapped IPv6 (::ffff:a.b.c.d) compared with an IPv4 range, and back. */
    private static byte[] mapped(byte[] address, int length) {
        if (address.length == 16 && length == 4) {
            for (int i = 0; i < 10; i++) if (address[i] != 0) return null;
            if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) return null;
            return new byte[] {address[12], address[13], address[14], address[15]};
        }
        return null;
    }

    private static IllegalArgumentException invalid(String field, String text) {
        return new IllegalArgumentException(field + ": invalid value '" + text
                + "', expected an IPv4 or IPv6 address or CIDR range such as 203.0.113.0/24 or 2001:db8::/32");
    }

    @Override
    public String toString() {
        return text;
    }
}
