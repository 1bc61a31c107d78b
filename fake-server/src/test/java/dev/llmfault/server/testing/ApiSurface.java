package dev.llmfault.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * The public API of a module as text, like OkHttp's {@code api/} dumps: every public type outside the
 * {@code internal} packages, with its public and protected members and their generic signatures, sorted. A module's
 * {@code ApiSurfaceTest} compares it with the checked-in {@code api/<artifact>.api}, so an API change is always
 * a visible diff in review. {@code -Dllmfault.api.update=true} rewrites the file instead of failing.
 */
public final class ApiSurface {
    /** System property that rewrites the API files instead of checking them. */
    public static final String UPDATE = "llmfault.api.update";

    private ApiSurface() {
    }

    /** Fails when the public API of the classes beside {@code anchor} differs from {@code apiFile}. */
    public static void check(Class<?> anchor, Path apiFile) {
        String actual = dump(anchor);
        if (Boolean.getBoolean(UPDATE)) {
            write(apiFile, actual);
            return;
        }
        String expected = Files.exists(apiFile) ? read(apiFile) : "";
        if (!expected.equals(actual)) {
            fail("The public API changed but " + apiFile + " was not updated. Check that the change is intended, then"
                    + " run: mvn -B -o test -pl " + apiFile.getParent().getParent().getFileName()
                    + " -am -Dtest=ApiSurfaceTest -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE + "=true"
                    + " and commit the file.\n" + diff(expected, actual));
        }
    }

    /** The dump of every public type compiled into the same directory (or jar) as {@code anchor}. */
    public static String dump(Class<?> anchor) {
        Path root;
        try {
            root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                if (name.contains(".internal.") || name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, anchor.getClassLoader());
                if (isVisible(type) && !isInternal(type)) {
                    types.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        types.sort(Comparator.comparing(Class::getName));
        StringBuilder out = new StringBuilder();
        for (Class<?> type : types) {
            out.append(header(type)).append(" {\n");
            members(type).forEach(m -> out.append("  ").append(m).append('\n'));
            out.append("}\n\n");
        }
        return out.toString();
    }

    /** Public, and every enclosing type public too (a public member type of a private class is not API). */
    private static boolean isVisible(Class<?> type) {
        if (type.isAnonymousClass() || type.isLocalClass() || type.isSynthetic()) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Marked {@code @API(status = INTERNAL)}, itself or an enclosing type: public for the kit's own modules, not
     * API, so not in the dump (the architecture test still checks that such a member leaks no internal type...
     * except where the marker says it may).
     */
    private static boolean isInternal(java.lang.reflect.AnnotatedElement element) {
        if (element instanceof Class<?> type && type.getDeclaringClass() != null && isInternal(type.getDeclaringClass())) {
            return true;
        }
        org.apiguardian.api.API api = element.getAnnotation(org.apiguardian.api.API.class);
        return api != null && api.status() == org.apiguardian.api.API.Status.INTERNAL;
    }

    private static String header(Class<?> type) {
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
                : type.isRecord() ? "record" : "class";
        int mods = type.getModifiers() & ~(Modifier.INTERFACE | Modifier.STATIC);
        if (type.isInterface() || type.isEnum() || type.isRecord()) {
            mods &= ~(Modifier.ABSTRACT | Modifier.FINAL);
        }
        StringBuilder h = new StringBuilder();
        Arrays.stream(type.getDeclaredAnnotations()).map(ApiSurface::annotation)
                .filter(a -> !a.startsWith("@java.lang.annotation.")).sorted().forEach(a -> h.append(a).append(' '));
        h.append(Modifier.toString(mods)).append(' ').append(kind).append(' ').append(type.getTypeName());
        if (type.getTypeParameters().length > 0) {
            h.append(Arrays.stream(type.getTypeParameters()).map(tv -> tv.getName() + bounds(tv.getBounds()))
                    .collect(Collectors.joining(", ", "<", ">")));
        }
        if (type.isRecord()) {
            h.append(Arrays.stream(type.getRecordComponents())
                    .map(c -> c.getGenericType().getTypeName() + " " + c.getName())
                    .collect(Collectors.joining(", ", "(", ")")));
        }
        if (type.getGenericSuperclass() != null && !type.isEnum() && !type.isRecord()
                && type.getSuperclass() != Object.class) {
            h.append(" extends ").append(type.getGenericSuperclass().getTypeName());
        }
        if (type.getGenericInterfaces().length > 0 && !type.isAnnotation()) {
            h.append(type.isInterface() ? " extends " : " implements ").append(Arrays.stream(type.getGenericInterfaces())
                    .map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(", ")));
        }
        return h.toString();
    }

    /** {@code @API(status = STABLE)}, since a status change is an API change; other annotations by name. */
    private static String annotation(java.lang.annotation.Annotation a) {
        if (a instanceof org.apiguardian.api.API api) {
            return "@API(status = " + api.status() + ")";
        }
        return "@" + a.annotationType().getName();
    }

    private static String bounds(java.lang.reflect.Type[] bounds) {
        if (bounds.length == 1 && bounds[0] == Object.class) {
            return "";
        }
        return " extends " + Arrays.stream(bounds).map(java.lang.reflect.Type::getTypeName)
                .collect(Collectors.joining(" & "));
    }

    private static List<String> members(Class<?> type) {
        List<String> out = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            if (visible(f) && !f.isSynthetic() && !f.isEnumConstant() && !isInternal(f)) {
                out.add(Modifier.toString(f.getModifiers()) + " " + f.getGenericType().getTypeName() + " " + f.getName()
                        + constant(f));
            }
        }
        if (type.isEnum()) {
            out.add("constants " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", ")));
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c) && !c.isSynthetic() && !type.isEnum() && !isInternal(c)) {
                out.add(executable(c, "<init>"));
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic() && !m.isBridge() && !isEnumBoilerplate(type, m) && !isInternal(m)) {
                String line = executable(m, m.getGenericReturnType().getTypeName() + " " + m.getName());
                if (m.getDefaultValue() != null) {
                    line += " default " + literal(m.getDefaultValue());
                }
                out.add(line);
            }
        }
        out.sort(null);
        return out;
    }

    private static boolean isEnumBoilerplate(Class<?> type, Method m) {
        return type.isEnum() && (m.getName().equals("values") && m.getParameterCount() == 0
                || m.getName().equals("valueOf") && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class);
    }

    private static boolean visible(Member m) {
        int mods = m.getModifiers();
        return Modifier.isPublic(mods) || Modifier.isProtected(mods) && !Modifier.isFinal(m.getDeclaringClass().getModifiers());
    }

    private static String executable(Executable e, String name) {
        int mods = e.getModifiers() & ~Modifier.TRANSIENT; // TRANSIENT is VARARGS on methods
        String generics = e.getTypeParameters().length == 0 ? "" : Arrays.stream(e.getTypeParameters())
                .map(tv -> tv.getName() + bounds(tv.getBounds())).collect(Collectors.joining(", ", "<", "> "));
        String params = Arrays.stream(e.getGenericParameterTypes()).map(java.lang.reflect.Type::getTypeName)
                .collect(Collectors.joining(", "));
        if (e.isVarArgs()) {
            params = params.replaceAll("\\[\\]$", "...");
        }
        String throwsClause = e.getGenericExceptionTypes().length == 0 ? "" : " throws " + Arrays
                .stream(e.getGenericExceptionTypes()).map(java.lang.reflect.Type::getTypeName).collect(Collectors.joining(", "));
        String modifiers = Modifier.toString(mods);
        return (modifiers.isEmpty() ? "" : modifiers + " ") + generics + name + "(" + params + ")" + throwsClause;
    }

    private static String constant(Field f) {
        int mods = f.getModifiers();
        if (!Modifier.isStatic(mods) || !Modifier.isFinal(mods)
                || !(f.getType().isPrimitive() || f.getType() == String.class)) {
            return "";
        }
        try {
            return " = " + literal(f.get(null));
        } catch (IllegalAccessException e) {
            return "";
        }
    }

    private static String literal(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value != null && value.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(value);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(literal(java.lang.reflect.Array.get(value, i)));
            }
            return "{" + String.join(", ", items) + "}";
        }
        if (value instanceof Class<?> c) {
            return c.getName() + ".class";
        }
        if (value instanceof Enum<?> e) {
            return e.getDeclaringClass().getSimpleName() + "." + e.name();
        }
        if (value instanceof java.lang.annotation.Annotation a) {
            return "@" + a.annotationType().getName();
        }
        return String.valueOf(value);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What only one side has, each member under its type: {@code -} in the file, {@code +} in the code. */
    static String diff(String expected, String actual) {
        List<String> was = qualified(expected);
        List<String> now = qualified(actual);
        StringBuilder out = new StringBuilder();
        was.stream().filter(l -> !now.contains(l)).limit(40).forEach(l -> out.append("- ").append(l).append('\n'));
        now.stream().filter(l -> !was.contains(l)).limit(40).forEach(l -> out.append("+ ").append(l).append('\n'));
        return out.toString();
    }

    /** Each type's header line, and each member line prefixed by its type's header. */
    private static List<String> qualified(String dump) {
        List<String> out = new ArrayList<>();
        String type = "";
        for (String line : dump.lines().toList()) {
            if (line.isBlank() || line.equals("}")) {
                continue;
            }
            if (line.startsWith("  ")) {
                out.add(type + " :: " + line.trim());
            } else {
                type = line.replaceAll(" \\{$", "");
                out.add(type);
            }
        }
        return out;
    }
}
