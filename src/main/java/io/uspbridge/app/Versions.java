package io.uspbridge.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of USP Bridge, written into the build by Maven (LocalAgent.SoftwareVersion). */
final class Versions {
    private static final String AGENT = load();

    private Versions() {
    }

    static String agent() {
        return AGENT;
    }

    private static String load() {
        try (InputStream in = Versions.class.getResourceAsStream("/io/uspbridge/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isEmpty() || v.startsWith("${") ? "0.0.0" : v;
        } catch (IOException e) {
            return "0.0.0";
        }
    }
}
