package dev.llmfault.server.internal.config;

/**
 * Bad input from a user (admin API, config file, annotations): names the field, the value and what is
 * allowed. Never carries a credential.
 */
public final class InputException extends IllegalArgumentException {
    private final String field;

    public InputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /**
     * Runs a builder or factory, turning its IllegalArgumentException ({@code "field: ..."}) into an InputException
     * naming that field: the checks stay in the public types, the codecs only add where the value was.
     */
    public static <T> T fromBuild(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (InputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new InputException(m != null && m.contains(":") ? m.substring(0, m.indexOf(':')) : null, m);
        }
    }

    /** The offending field as a dotted path ({@code scenarios[1].match.model}), or null. */
    public String field() {
        return field;
    }

    /** The same error seen from a parent: {@code times} inside {@code scenarios[1]}. */
    public InputException within(String parent) {
        String f = field == null ? parent : parent + "." + field;
        InputException e = new InputException(f, parent + (field == null ? ": " : ".") + getMessage());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
