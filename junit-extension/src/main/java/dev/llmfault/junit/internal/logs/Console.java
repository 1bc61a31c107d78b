package dev.llmfault.junit.internal.logs;

import dev.llmfault.junit.CapturedLogs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code System.out} and {@code System.err} replaced by streams that write through to the real ones and keep a
 * copy of each line. A line written by Logback, Log4j or JUL (their console appenders) is left to their own hook,
 * which knows its level and logger; a line of SLF4J's simple binding, which has no hook, is parsed for them.
 */
final class Console {
    /** slf4j-simple's layout: {@code [date] [thread] LEVEL logger - message}, date and thread optional. */
    private static final Pattern SIMPLE = Pattern.compile("(?:\\[([^\\]]*)\\] )?(TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - ");
    private static final StackWalker STACK = StackWalker.getInstance();

    private static volatile Tee out;
    private static volatile Tee err;

    private Console() {
    }

    static Runnable install() {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        out = new Tee(realOut, CapturedLogs.Source.STDOUT);
        err = new Tee(realErr, CapturedLogs.Source.STDERR);
        PrintStream newOut = printStream(out);
        PrintStream newErr = printStream(err);
        System.setOut(newOut);
        System.setErr(newErr);
        return () -> {
            newOut.flush();
            newErr.flush();
            // put the real streams back unless someone replaced ours meanwhile (then theirs stays, still writing through)
            if (System.out == newOut) {
                System.setOut(realOut);
            }
            if (System.err == newErr) {
                System.setErr(realErr);
            }
        };
    }

    /** Ends the calling thread's unfinished console line, so a last {@code print} without newline is kept. */
    static void flush() {
        Tee o = out;
        Tee e = err;
        if (o != null) o.endLine();
        if (e != null) e.endLine();
    }

    private static PrintStream printStream(Tee tee) {
        try {
            return new PrintStream(tee, true, tee.charset.name());
        } catch (UnsupportedEncodingException e) {
            return new PrintStream(tee, true);
        }
    }

    private static Charset charsetOf(CapturedLogs.Source source) {
        String name = System.getProperty(source == CapturedLogs.Source.STDOUT ? "stdout.encoding" : "stderr.encoding",
                System.getProperty(source == CapturedLogs.Source.STDOUT ? "sun.stdout.encoding" : "sun.stderr.encoding"));
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** Who is writing a line to the console. */
    private enum Writer { OWN_HOOK, SIMPLE_BINDING, PROGRAM }

    private static Writer writer() {
        return STACK.walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .map(Console::writerOf).filter(w -> w != Writer.PROGRAM).findFirst().orElse(Writer.PROGRAM));
    }

    private static Writer writerOf(String className) {
        if (className.startsWith("ch.qos.logback.") || className.startsWith("org.apache.logging.log4j.")
                || className.startsWith("java.util.logging.")) {
            return Writer.OWN_HOOK;
        }
        return className.startsWith("org.slf4j.simple.") ? Writer.SIMPLE_BINDING : Writer.PROGRAM;
    }

    /** A line being written by one thread. */
    private static final class Pending {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Writer writer;
        /** The level and logger of the simple binding's last line on this thread, for its stack trace lines. */
        CapturedLogs.Level lastLevel;
        String lastLogger;
    }

    private static final class Tee extends OutputStream {
        private final PrintStream real;
        private final CapturedLogs.Source source;
        private final Charset charset;
        private final ThreadLocal<Pending> pending = ThreadLocal.withInitial(Pending::new);

        Tee(PrintStream real, CapturedLogs.Source source) {
            this.real = real;
            this.source = source;
            this.charset = charsetOf(source);
        }

        @Override
        public void write(int b) {
            real.write(b);
            if (LogCapture.anyOpen()) {
                keep(new byte[] {(byte) b}, 0, 1);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            real.write(b, off, len);
            if (LogCapture.anyOpen()) {
                keep(b, off, len);
            }
        }

        @Override
        public void flush() {
            real.flush();
        }

        private void keep(byte[] b, int off, int len) {
            Pending p = pending.get();
            int start = off;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    append(p, b, start, i - start);
                    emit(p);
                    start = i + 1;
                }
            }
            append(p, b, start, off + len - start);
        }

        private static void append(Pending p, byte[] b, int off, int len) {
            if (len <= 0) {
                return;
            }
            if (p.bytes.size() == 0 && p.writer == null) {
                p.writer = writer();
            }
            if (p.bytes.size() < 64 * 1024) {
                p.bytes.write(b, off, len);
            }
        }

        void endLine() {
            Pending p = pending.get();
            if (p.bytes.size() > 0) {
                emit(p);
            }
        }

        private void emit(Pending p) {
            Writer writer = p.writer == null ? writer() : p.writer;
            String text = p.bytes.toString(charset);
            p.bytes.reset();
            p.writer = null;
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (writer == Writer.OWN_HOOK || !LogCapture.anyOpen()) {
                return;
            }
            String thread = Thread.currentThread().getName();
            if (writer == Writer.SIMPLE_BINDING) {
                Matcher m = SIMPLE.matcher(text);
                if (m.find()) {
                    p.lastLevel = CapturedLogs.Level.valueOf(m.group(2));
                    p.lastLogger = m.group(3);
                    LogCapture.dispatch(new CapturedLogs.Line(Instant.now(), p.lastLevel, p.lastLogger,
                            m.group(1) != null ? m.group(1) : thread, text.substring(m.end()), CapturedLogs.Source.SLF4J));
                    return;
                }
                if (p.lastLevel != null) { // a stack trace line under the binding's last line
                    LogCapture.dispatch(new CapturedLogs.Line(Instant.now(), p.lastLevel, p.lastLogger, thread, text,
                            CapturedLogs.Source.SLF4J));
                    return;
                }
            }
            boolean isOut = source == CapturedLogs.Source.STDOUT;
            LogCapture.dispatch(new CapturedLogs.Line(Instant.now(), isOut ? CapturedLogs.Level.INFO : CapturedLogs.Level.WARN,
                    isOut ? "System.out" : "System.err", thread, text, source));
        }
    }
}
