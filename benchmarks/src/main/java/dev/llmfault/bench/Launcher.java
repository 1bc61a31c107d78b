package dev.llmfault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our distribution's launcher, {@code bin/llmfault-server}, as a user runs it: its default JVM flags (read
 * from the script itself, so the benchmark never drifts from what ships) and its class-data archive, kept in
 * the benchmark's work folder so that every run starts from none.
 */
final class Launcher {
    private static final Pattern DEFAULT_OPTS = Pattern.compile("(?m)^default_jvm_opts=\"([^\"]*)\"");

    final Path script;
    final Path cdsDir;
    final List<String> jvmOpts;

    Launcher(Path script, Path cdsDir) {
        this.script = script;
        this.cdsDir = cdsDir;
        try {
            Matcher m = DEFAULT_OPTS.matcher(Files.readString(script));
            if (!m.find()) {
                throw new IllegalStateException("no default_jvm_opts=\"...\" line in " + script);
            }
            this.jvmOpts = List.of(m.group(1).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The launcher's command line for these server arguments. */
    List<String> command(String... serverArgs) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", script.toString()));
        cmd.addAll(List.of(serverArgs));
        return cmd;
    }

    /** Its environment: this JVM, the archive in the work folder, or no archive at all. */
    Map<String, String> env(boolean cds) {
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("LLMFAULT_CDS_DIR", cdsDir.toString());
        env.put("LLMFAULT_CDS", cds ? "on" : "off");
        env.put("JAVA_OPTS", "");
        return env;
    }

    /** A plain java command with the launcher's JVM flags (no archive): for the floor, so both run alike. */
    List<String> javaWithLauncherFlags(String... rest) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOpts);
        cmd.addAll(List.of(rest));
        return cmd;
    }
}
